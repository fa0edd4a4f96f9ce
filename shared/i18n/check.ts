// What makes a set of catalogues unfit to ship, in words a translator can act on. Run by the client build
// (scripts/check-catalogues.ts: a missing key fails the build) and by test/i18n/catalogues.test.ts.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { NAMESPACES, type NamespaceFiles } from './catalogues';
import { DEFAULT_LANGUAGE, type Language } from './languages';

/** Argument and tag names a message uses, and a problem for each plural that lacks a category the language needs. */
function inspect(elements: MessageFormatElement[], language: string, found: { names: Set<string>; problems: string[] }): void {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        found.names.add(element.value);
        break;
      case TYPE.tag:
        found.names.add(`<${element.value}>`);
        inspect(element.children, language, found);
        break;
      case TYPE.select:
        found.names.add(element.value);
        if (!element.options.other) found.problems.push(`select on "${element.value}" has no "other" case`);
        for (const option of Object.values(element.options)) inspect(option.value, language, found);
        break;
      case TYPE.plural: {
        found.names.add(element.value);
        const missing = ['other', ...categories].filter((category) => !element.options[category]);
        if (missing.length > 0) found.problems.push(`plural on "${element.value}" lacks ${[...new Set(missing)].join(', ')} (${language} needs ${categories.join(', ')})`);
        for (const option of Object.values(element.options)) inspect(option.value, language, found);
        break;
      }
      default:
        break;
    }
  }
}

export function catalogueProblems(files: Readonly<Record<Language, NamespaceFiles>>): string[] {
  const problems: string[] = [];
  const reference = files[DEFAULT_LANGUAGE];
  const referenceNames = new Map<string, Set<string>>();
  const languages = [DEFAULT_LANGUAGE, ...Object.keys(files).filter((language) => language !== DEFAULT_LANGUAGE)] as Language[];
  for (const language of languages) {
    for (const namespace of NAMESPACES) {
      const where = `messages/${language}/${namespace}.json`;
      const messages = files[language][namespace];
      if (!messages) {
        problems.push(`${where}: missing file`);
        continue;
      }
      for (const [key, source] of Object.entries(messages)) {
        if (!key.startsWith(`${namespace}.`)) problems.push(`${where}: key "${key}" must start with "${namespace}."`);
        if (typeof source !== 'string' || source.trim() === '') {
          problems.push(`${where}: "${key}" is empty`);
          continue;
        }
        if (language !== DEFAULT_LANGUAGE && !(key in reference[namespace])) {
          problems.push(`${where}: "${key}" is not in English (a stale key?)`);
          continue;
        }
        const found = { names: new Set<string>(), problems: [] as string[] };
        try {
          inspect(parse(source), language, found);
        } catch (error) {
          problems.push(`${where}: "${key}" does not parse as ICU MessageFormat (${(error as Error).message})`);
          continue;
        }
        for (const problem of found.problems) problems.push(`${where}: "${key}": ${problem}`);
        if (language === DEFAULT_LANGUAGE) {
          referenceNames.set(key, found.names);
        } else {
          const expected = [...(referenceNames.get(key) ?? [])].sort().join(', ');
          const actual = [...found.names].sort().join(', ');
          if (expected !== actual) problems.push(`${where}: "${key}" uses {${actual}} but English uses {${expected}}`);
        }
      }
      if (language !== DEFAULT_LANGUAGE) {
        for (const key of Object.keys(reference[namespace])) {
          if (!(key in messages)) problems.push(`${where}: missing "${key}"`);
        }
      }
    }
  }
  return problems;
}
