// The one place where errors become the contract's `{error: {code, message}}` bodies.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { MulterError } from 'multer';
import type { ErrorBody } from '../../shared/api';
import { HttpError, Invalid, NotFound, RateLimited } from '../errors';
import type { Logger } from '../log';

function body(error: HttpError): ErrorBody {
  const fields = error instanceof Invalid && error.fields ? { fields: error.fields } : {};
  return { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...fields } };
}

const MULTER_MESSAGES: Partial<Record<MulterError['code'], [number, string]>> = {
  LIMIT_FILE_SIZE: [413, 'The file is too large.'],
  LIMIT_FILE_COUNT: [400, 'Too many files.'],
  LIMIT_UNEXPECTED_FILE: [400, 'Unexpected file field.'],
  LIMIT_FIELD_VALUE: [413, 'A form field is too large.'],
  LIMIT_PART_COUNT: [400, 'Too many form parts.'],
};

/** Maps library errors we expect from bad input onto HttpErrors; anything else is ours to fix (500). */
function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof MulterError) {
    const [status, message] = MULTER_MESSAGES[error.code] ?? [400, 'The upload could not be read.'];
    if (status === 413) return new HttpError(413, 'payload_too_large', `${message} (field ${error.field ?? 'unknown'})`);
    return new HttpError(400, 'invalid_input', message, error.field);
  }
  const err = error as { type?: string; status?: number; code?: number; keyValue?: Record<string, unknown> };
  if (err?.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  if (err?.type === 'entity.too.large') return new HttpError(413, 'payload_too_large', 'The request body is too large.');
  if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_media_type', 'The request body must be UTF-8.');
  }
  if (error instanceof mongoose.Error.ValidationError) {
    const [field, detail] = Object.entries(error.errors)[0] ?? ['body', { message: 'invalid' }];
    return new HttpError(400, 'invalid_input', `${field} is invalid: ${detail.message}`, field);
  }
  if (error instanceof mongoose.Error.CastError) {
    return new HttpError(400, 'invalid_input', `${error.path} is not valid.`, error.path);
  }
  if (err?.code === 11000) {
    const field = Object.keys(err.keyValue ?? {})[0];
    return new HttpError(409, 'conflict', 'This already exists.', field);
  }
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    return new HttpError(err.status, 'invalid_input', 'The request could not be processed.');
  }
  return null;
}

export function createErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = toHttpError(error);
    if (!known) {
      log.error(`${req.method} ${req.path} failed`, error);
      res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side.' } } satisfies ErrorBody);
      return;
    }
    if (known instanceof RateLimited) res.set('Retry-After', String(known.retryAfterSeconds));
    res.status(known.status).json(body(known));
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => next(new NotFound(`API route ${req.method} ${req.path}`));
