// Answers whose JSON is already written (feed pages spliced from per-post JSON, server/presenters/post.ts).
import type { Response } from 'express';

/** Sends UTF-8 JSON as res.json() would send the object it stands for (same headers; ETags are off app-wide). */
export function sendJsonBytes(res: Response, body: Buffer): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
