// The language an error message is written in: the signed-in account's `language`, else the request's
// Accept-Language, else English (the order of shared/i18n/languages.ts's chooseLanguage).
import type { Request } from 'express';
import { chooseLanguage, type Language } from '../../shared/i18n/languages';
import { loadIdentity } from '../services/tokens';
import { languageNegotiator } from './accept-language';

const negotiate = languageNegotiator();

/**
 * Never rejects: an error must still be answered when the account cannot be read (the database is the
 * likely cause of the error itself), so the browser's language is used then. The account comes from the
 * identity cache that authentication has just filled, so this costs no query.
 */
export async function readerLanguage(req: Request): Promise<Language> {
  const header = req.get('accept-language');
  if (req.viewer) {
    const identity = await loadIdentity(req.viewer._id).catch(() => null);
    if (identity?.language) return chooseLanguage(identity.language, header);
  }
  return negotiate(header);
}
