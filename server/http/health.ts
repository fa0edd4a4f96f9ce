import { Router } from 'express';
import type { Health } from '../../shared/api';
import type { AppContext } from '../context';

export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  const body: Health = { ok: true, db: ctx.dbMode };
  router.get('/health', (_req, res) => {
    res.json(body);
  });
  return router;
}
