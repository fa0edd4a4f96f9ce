import type { Document } from './documents';

/** MongoDB's numeric error codes with their code names, as the driver and mongoose expect them. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  GraphContainsCycle: 5,
  Unauthorized: 13,
  FailedToParse: 9,
  TypeMismatch: 14,
  AuthenticationFailed: 18,
  IllegalOperation: 20,
  ConflictingUpdateOperators: 40,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  MaxTimeMSExpired: 50,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  DocumentValidationFailure: 121,
  ViewDepthLimitExceeded: 165,
  CommandNotSupportedOnView: 166,
  OptionNotSupportedOnView: 167,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotIndexParallelArrays: 171,
  QueryFeatureNotAllowed: 224,
  NotImplemented: 238,
  MechanismUnavailable: 334,
  UnsupportedOpQueryCommand: 352,
  DuplicateKey: 11000,
  UnknownField: 40415,
} as const;

const codeNames: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  5: 'GraphContainsCycle',
  13: 'Unauthorized',
  9: 'FailedToParse',
  14: 'TypeMismatch',
  18: 'AuthenticationFailed',
  20: 'IllegalOperation',
  40: 'ConflictingUpdateOperators',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  43: 'CursorNotFound',
  50: 'MaxTimeMSExpired',
  48: 'NamespaceExists',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  121: 'DocumentValidationFailure',
  165: 'ViewDepthLimitExceeded',
  166: 'CommandNotSupportedOnView',
  167: 'OptionNotSupportedOnView',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  171: 'CannotIndexParallelArrays',
  224: 'QueryFeatureNotAllowed',
  238: 'NotImplemented',
  334: 'MechanismUnavailable',
  352: 'UnsupportedOpQueryCommand',
  11000: 'DuplicateKey',
  // mongod names errors raised by a bare assertion after their location.
  16870: 'Location16870',
  16871: 'Location16871',
  13113: 'MergeStageNoMatchingDocument',
  40323: 'Location40323',
  40601: 'Location40601',
  40414: 'Location40414',
  40415: 'Location40415',
};

/** An error a command answers with `ok: 0`; anything else thrown by a handler is an internal error. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
  }

  get codeName(): string {
    return codeNames[this.code] ?? 'UnknownError';
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The shape of one entry in a write command's `writeErrors`. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

export function notOnView(ns: string): CommandError {
  return new CommandError(ErrorCode.CommandNotSupportedOnView, `Namespace ${ns} is a view, not a collection`);
}

export function badValue(message: string): CommandError {
  return new CommandError(ErrorCode.BadValue, message);
}

export function typeMismatch(message: string): CommandError {
  return new CommandError(ErrorCode.TypeMismatch, message);
}

/** Wraps what mingo throws (unknown operators, bad arguments) as MongoDB's BadValue. */
export function asCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return badValue(message);
}
