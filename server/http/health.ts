import { Router } from 'express';
import type { Health } from '../../shared/api';
import type { AppContext } from '../context';

/** `/health` answers whether this process can serve (503 when a dependency cannot); `/health/live` only that it runs. */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  const ready: Health = { ok: true, db: ctx.dbMode };
  router.get('/health', async (_req, res) => {
    const readiness = await ctx.health.readiness();
    if (readiness.ok) res.json(ready);
    else res.status(503).json({ ok: false, db: ctx.dbMode, failing: readiness.failing } satisfies Health);
  });
  router.get('/health/live', (_req, res) => {
    res.json({ ok: true });
  });
  return router;
}
