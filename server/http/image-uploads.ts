// Multipart image uploads, spooled to private temporary files that live as long as their request.
import { rmSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import multer, { MulterError } from 'multer';
import { HttpError } from '../errors';
import type { ImageInput } from '../media/images';

let spoolDir: Promise<string> | null = null;

/**
 * One directory per process, readable by this user only: uploads still carry their EXIF and GPS data.
 * A temp cleaner may remove it from a long-idle server; a new one is made then (never the same name
 * again, which someone else could have taken meanwhile).
 */
export async function spoolDirectory(): Promise<string> {
  spoolDir ??= newSpoolDirectory();
  const dir = await spoolDir;
  try {
    await access(dir);
    return dir;
  } catch {
    spoolDir = newSpoolDirectory();
    return spoolDir;
  }
}

async function newSpoolDirectory(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'forum-uploads-'));
  // Files in it are removed as their requests end; the directory goes with the process.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Files are written to disk as they arrive rather than gathered into one Buffer per file: every byte of a
 * Buffer counts as external memory to V8, which answers each few dozen megabytes of it with a full
 * garbage collection, and the forum's heap (the embedded engine's data) makes those expensive. libvips
 * reads the spooled file itself.
 */
const spool = multer.diskStorage({
  destination: (_req, _file, callback) => {
    spoolDirectory().then((dir) => callback(null, dir), (error: Error) => callback(error, ''));
  },
});

/** multer with spooled files; `receive` picks the fields (`.single`, `.array`) and the limits apply as usual. */
export function imageUploads(limits: multer.Options['limits'], receive: (upload: multer.Multer) => RequestHandler): RequestHandler {
  const upload = receive(multer({ storage: spool, limits }));
  return (req, res, next) => {
    // Once the response is done, whatever the outcome; multer itself removes the files of a failed upload.
    res.once('close', () => void removeSpooled(req));
    upload(req, res, (error?: unknown) => next(error === undefined ? undefined : unreadableForm(error)));
  };
}

/**
 * busboy reports a body it cannot parse (truncated, no boundary, a malformed part header, a client that
 * hung up) with a plain Error; that is the client's input, so it is a 400, not a 500 with a stack trace.
 * Our own failures (the spool directory, the disk) carry a system error code and stay 500s.
 */
function unreadableForm(error: unknown): unknown {
  if (error instanceof MulterError || error instanceof HttpError || !(error instanceof Error)) return error;
  if (typeof (error as NodeJS.ErrnoException).code === 'string') return error;
  return new HttpError(400, 'invalid_input', { key: 'errors.upload.formUnreadable', values: { detail: error.message } });
}

function spooledFiles(req: Request): Express.Multer.File[] {
  if (req.file) return [req.file];
  return Array.isArray(req.files) ? req.files : [];
}

async function removeSpooled(req: Request): Promise<void> {
  await Promise.all(spooledFiles(req).map((file) => (file.path ? rm(file.path, { force: true }) : undefined)));
}

/** The request's spooled files, as the image pipeline takes them. */
export function uploadedImages(req: Request): ImageInput[] {
  return spooledFiles(req).map((file) => ({ path: file.path, size: file.size }));
}
