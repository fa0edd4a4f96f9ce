// Refusals a socket receives (acknowledgements and connect_error data), written in its reader's language:
// the account's, else the handshake's Accept-Language, else English. Refusals are built as problem() text
// (server/http/validation.ts) and turned into words here, just before they leave.
import type { IncomingMessage } from 'node:http';
import type { ExtendedError } from 'socket.io';
import type { Ack } from '../../shared/events';
import { chooseLanguage, type Language } from '../../shared/i18n/languages';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import type { MessageValues } from '../../shared/i18n/translator';
import type { ErrorKey } from '../errors';
import { readerLanguageOf } from '../http/reader-language';
import { problemOf } from '../http/validation';
import type { ForumSocket } from './types';

/**
 * The language each connection's opening request asked for. The request itself is let go as soon as the
 * connection opens (server/realtime/index.ts), so its Accept-Language is kept here, as the language it chose.
 */
const requested = new WeakMap<object, Language>();

export function rememberLanguage(connection: object, request: IncomingMessage): void {
  requested.set(connection, chooseLanguage(null, request.headers['accept-language']));
}

/** A tag Accept-Language-shaped, so the account's preference is weighed against it as against a header. */
function acceptLanguageOf(socket: ForumSocket): string | undefined {
  return requested.get(socket.conn);
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
