// The one place the browser talks HTTP to the server: bearer token from the session, contract errors as ApiError.
import type { ErrorBody, ErrorCode } from '../../shared/api';
import { session } from '../session';
import { currentTranslator } from '../i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly field?: string,
    /** Every invalid field's problem in words, by field key. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function authHeaders(): Record<string, string> {
  const token = session.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as Partial<ErrorBody> | null)?.error;
  if (error && typeof error.message === 'string') {
    const fields = Object.fromEntries((Array.isArray(error.fields) ? error.fields : []).map((problem) => [problem.field, problem.message]));
    return new ApiError(status, error.code, error.message, error.field, fields);
  }
  return new ApiError(status, status >= 500 ? 'internal' : 'invalid_input', `The server answered ${status}.`);
}

/** A token the server no longer accepts ends the session in this tab, so the page can say so. */
function noticeStaleToken(status: number): void {
  if (status === 401 && session.token()) session.expire();
}

async function parse(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...authHeaders(), ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', currentTranslator().t('common.error.network'));
  }
  const data = await parse(response).catch(() => null);
  if (!response.ok) {
    noticeStaleToken(response.status);
    throw toApiError(response.status, data);
  }
  return data as T;
}

/** Downloads an authenticated resource as a file (a plain link cannot carry the bearer token). */
export async function download(path: string, filename: string, headers: Record<string, string> = {}): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { ...authHeaders(), ...headers }, credentials: 'omit' });
  } catch {
    throw new ApiError(0, 'network', currentTranslator().t('common.error.network'));
  }
  if (!response.ok) {
    noticeStaleToken(response.status);
    throw toApiError(response.status, await parse(response).catch(() => null));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Multipart upload through XMLHttpRequest, the only browser API that reports upload progress. */
export function upload<T>(method: string, path: string, form: FormData, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.withCredentials = false;
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(xhr.response as T);
        return;
      }
      noticeStaleToken(xhr.status);
      reject(toApiError(xhr.status, xhr.response));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', currentTranslator().t('common.error.upload')));
    xhr.send(form);
  });
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
