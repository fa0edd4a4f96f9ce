// The language an error message is written in: the signed-in account's `language`, else the request's
// Accept-Language, else English (the order of shared/i18n/languages.ts's chooseLanguage). For HTTP
// answers and Socket.IO acknowledgements alike.
import type { Request } from 'express';
import { Types } from 'mongoose';
import { chooseLanguage, type Language } from '../../shared/i18n/languages';
import { loadIdentity } from '../services/tokens';
import { languageNegotiator } from './accept-language';

const negotiate = languageNegotiator();

/**
 * Never rejects: an error must still be answered when the account cannot be read (the database is the
 * likely cause of the error itself), so the browser's language is used then. The account comes from the
 * identity cache that authentication has just filled, so this costs no query.
 */
export async function readerLanguageOf(accountId: Types.ObjectId | string | null, acceptLanguage: string | undefined): Promise<Language> {
  if (accountId !== null) {
    const identity = await loadIdentity(new Types.ObjectId(accountId)).catch(() => null);
    if (identity?.language) return chooseLanguage(identity.language, acceptLanguage);
  }
  return negotiate(acceptLanguage);
}

export function readerLanguage(req: Request): Promise<Language> {
  return readerLanguageOf(req.viewer?._id ?? null, req.get('accept-language'));
}
