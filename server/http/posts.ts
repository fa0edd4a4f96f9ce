// One post: read, replies, edit, delete, like.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { likePost, unlikePost } from '../services/likes';
import { parsePageRequest } from '../services/pagination';
import { deletePost, editPost, getPost, listReplies } from '../services/posts';
import { signedIn, type Auth } from './auth';
import { moderationReason } from './moderation-reason';
import { parseBody, parsePathId, problem } from './validation';

const editSchema = z.object({ body: z.string({ error: problem('errors.field.required') }) });

export function postsRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  router.use('/posts', auth.requireUser);

  router.get('/posts/:id', async (req, res) => {
    res.json(await getPost(ctx, signedIn(req), parsePathId(req.params.id, 'post'), moderationReason(req)));
  });

  router.get('/posts/:id/replies', async (req, res) => {
    res.json(await listReplies(ctx, signedIn(req), parsePathId(req.params.id, 'post'), parsePageRequest(req.query), moderationReason(req)));
  });

  router.patch('/posts/:id', async (req, res) => {
    const postId = parsePathId(req.params.id, 'post');
    res.json(await editPost(ctx, signedIn(req), postId, parseBody(editSchema, req.body)));
  });

  router.delete('/posts/:id', async (req, res) => {
    await deletePost(ctx, signedIn(req), parsePathId(req.params.id, 'post'), moderationReason(req));
    res.status(204).end();
  });

  router.put('/posts/:id/like', async (req, res) => {
    res.json(await likePost(ctx, signedIn(req), parsePathId(req.params.id, 'post')));
  });

  router.delete('/posts/:id/like', async (req, res) => {
    res.json(await unlikePost(ctx, signedIn(req), parsePathId(req.params.id, 'post')));
  });

  return router;
}
