// Answers whose JSON is already written (feed pages spliced from per-post JSON, server/presenters/post.ts).
import type { Response } from 'express';

/** Sends JSON text as res.json() would send the object it stands for (same headers; ETags are off app-wide). */
export function sendJsonText(res: Response, text: string): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
