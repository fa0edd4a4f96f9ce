// The one place where errors become the contract's `{error: {code, message}}` bodies, the message written
// in the reader's language (./reader-language.ts).
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { MulterError } from 'multer';
import type { ErrorBody } from '../../shared/api';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import { HttpError, Invalid, NotFound, RateLimited, type ErrorKey } from '../errors';
import type { Logger } from '../log';
import { readerLanguage } from './reader-language';

async function body(error: HttpError, req: Request): Promise<ErrorBody> {
  const t = translatorFor(await readerLanguage(req));
  const fields = error instanceof Invalid ? error.fieldsIn(t) : undefined;
  return { error: { code: error.code, message: error.messageIn(t), ...(error.field ? { field: error.field } : {}), ...(fields ? { fields } : {}) } };
}

const MULTER_MESSAGES: Partial<Record<MulterError['code'], [number, ErrorKey]>> = {
  LIMIT_FILE_SIZE: [413, 'errors.upload.fileTooLarge'],
  LIMIT_FILE_COUNT: [400, 'errors.upload.tooManyFiles'],
  LIMIT_UNEXPECTED_FILE: [400, 'errors.upload.unexpectedField'],
  LIMIT_FIELD_VALUE: [413, 'errors.upload.fieldTooLarge'],
  LIMIT_PART_COUNT: [400, 'errors.upload.tooManyParts'],
};

/** Maps library errors we expect from bad input onto HttpErrors; anything else is ours to fix (500). */
function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof MulterError) {
    const [status, key] = MULTER_MESSAGES[error.code] ?? [400, 'errors.upload.unreadable'];
    if (status === 413) return new HttpError(413, 'payload_too_large', { key, values: { field: error.field ?? 'unknown' } });
    return new HttpError(400, 'invalid_input', { key }, error.field);
  }
  const err = error as { type?: string; status?: number; code?: number; keyValue?: Record<string, unknown> };
  if (err?.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', { key: 'errors.body.notJson' });
  if (err?.type === 'entity.too.large') return new HttpError(413, 'payload_too_large', { key: 'errors.body.tooLarge' });
  if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_media_type', { key: 'errors.body.notUtf8' });
  }
  if (error instanceof mongoose.Error.ValidationError) {
    // Schemas refuse bad input first, so this is a last line whose detail (mongoose's own English) is only named.
    const field = Object.keys(error.errors)[0] ?? 'body';
    return new Invalid(field, 'errors.field.invalid');
  }
  if (error instanceof mongoose.Error.CastError) {
    return new Invalid(error.path, 'errors.field.invalid');
  }
  if (err?.code === 11000) {
    const field = Object.keys(err.keyValue ?? {})[0];
    return new HttpError(409, 'conflict', { key: 'errors.conflict.exists' }, field);
  }
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    return new HttpError(err.status, 'invalid_input', { key: 'errors.body.unprocessable' });
  }
  return null;
}

export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    let known = toHttpError(error);
    if (!known) {
      log.error(`${req.method} ${req.path} failed`, error);
      known = new HttpError(500, 'internal', { key: 'errors.internal' });
    }
    if (known instanceof RateLimited) res.set('Retry-After', String(known.retryAfterSeconds));
    const status = known.status;
    void body(known, req).then((answer) => res.status(status).json(answer));
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => next(new NotFound('apiRoute', { method: req.method, path: req.path }));
