// Serves stored media. Avatars are public; post images need a signed URL minted by the presenter for a
// viewer the policy allowed, and the URL names one file only.
import { Router, type Response } from 'express';
import { readFile } from 'node:fs/promises';
import type { AppContext } from '../context';
import { NotFound } from '../errors';
import { MediaStore } from '../media/store';
import { postImageServable } from '../policy/images';

const FILE_PATTERN = /^([a-f0-9]{32})-([a-z0-9]{1,16})\.webp$/;

async function sendWebp(res: Response, file: string, cacheControl: string): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw new NotFound('image');
  }
  res.set({ 'Content-Type': 'image/webp', 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' });
  res.send(data);
}

export function mediaRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/avatars/:file', async (req, res) => {
    const match = FILE_PATTERN.exec(req.params.file);
    if (!match) throw new NotFound('image');
    // Avatar files get a new random name on every change, so they can be cached forever.
    await sendWebp(res, ctx.media.filePath('avatars', match[1]!, match[2]!), 'public, max-age=31536000, immutable');
  });

  router.get('/posts/:file', async (req, res) => {
    const match = FILE_PATTERN.exec(req.params.file);
    if (!match || !MediaStore.isKey(match[1]!)) throw new NotFound('image');
    if (!ctx.signer.verify(`/media/posts/${req.params.file}`, req.query.expires, req.query.signature)) {
      throw new NotFound('image');
    }
    if (!(await postImageServable(match[1]!, Number(req.query.expires)))) throw new NotFound('image');
    await sendWebp(res, ctx.media.filePath('posts', match[1]!, match[2]!), 'private, max-age=300');
  });

  return router;
}
