// Refusals a socket receives (acknowledgements and connect_error data), written in its reader's language:
// the account's, else the handshake's Accept-Language, else English. Refusals are built as problem() text
// (server/http/validation.ts) and turned into words here, just before they leave.
import type { ExtendedError } from 'socket.io';
import type { Ack } from '../../shared/events';
import { chooseLanguage } from '../../shared/i18n/languages';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import type { MessageValues } from '../../shared/i18n/translator';
import type { ErrorKey } from '../errors';
import { readerLanguageOf } from '../http/reader-language';
import { problemOf } from '../http/validation';
import type { ForumSocket } from './types';

function acceptLanguageOf(socket: ForumSocket): string | undefined {
  const header = socket.handshake.headers['accept-language'];
  return Array.isArray(header) ? header.join(',') : header;
}

/** The ack, with a refusal's message put into words in the socket's reader's language. */
export function speaking(socket: ForumSocket, ack: (result: Ack) => void): (result: Ack) => void {
  return (result) => {
    const problem = result.ok ? null : problemOf(result.error.message);
    if (result.ok || !problem) return ack(result);
    const code = result.error.code;
    void readerLanguageOf(socket.data.userId, acceptLanguageOf(socket)).then((language) =>
      ack({ ok: false, error: { code, message: translatorFor(language).t(problem.key, problem.values) } }),
    );
  };
}

/**
 * A refused handshake: `connect_error` with `data: {code, message}`, the message in the language the
 * handshake's Accept-Language asks for (no account is established yet).
 */
export function refusedHandshake(socket: ForumSocket, code: string, key: ErrorKey, values?: MessageValues): ExtendedError {
  const error: ExtendedError = new Error(code);
  error.data = { code, message: translatorFor(chooseLanguage(null, acceptLanguageOf(socket))).t(key, values) };
  return error;
}
