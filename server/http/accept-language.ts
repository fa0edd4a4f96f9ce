// Which supported language a visitor's browser asks for, on the homepage's fast path: browsers send the same
// Accept-Language with every request and few distinct ones exist, so answers are kept by the exact header.
import { chooseLanguage, type Language } from '../../shared/i18n/languages';

/** More distinct headers than this and the memory starts afresh (a hostile client cannot grow it). */
const REMEMBERED = 256;

/** chooseLanguage(null, header), remembered per header string; made once per router. */
export function languageNegotiator(): (header: string | undefined) => Language {
  const answers = new Map<string, Language>();
  return (header) => {
    if (!header) return chooseLanguage(null, null);
    let answer = answers.get(header);
    if (answer === undefined) {
      if (answers.size >= REMEMBERED) answers.clear();
      answer = chooseLanguage(null, header);
      answers.set(header, answer);
    }
    return answer;
  };
}
