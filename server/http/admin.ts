// Administrators' changes to accounts (answers carry the admin view of the user, the `Me` shape) and
// the mail queue's state.
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context';
import { presentMe } from '../presenters/user';
import { requireAdmin } from '../policy';
import { outboxStatus } from '../services/outbox-status';
import { setMembership, setRoles } from '../services/user-admin';
import { membershipSchema, rolesSchema } from './account-schemas';
import { signedIn, type Auth } from './auth';
import { parsePathId, parseBody } from './validation';

export function adminRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  const adminOnly: RequestHandler = (req, _res, next) => {
    requireAdmin(signedIn(req));
    next();
  };

  router.put('/admin/users/:id/roles', auth.requireUser, adminOnly, async (req, res) => {
    const userId = parsePathId(req.params.id, 'user');
    const { roles } = parseBody(rolesSchema, req.body);
    res.json(presentMe(await setRoles(ctx, signedIn(req), userId, roles)));
  });

  router.put('/admin/users/:id/membership', auth.requireUser, adminOnly, async (req, res) => {
    const userId = parsePathId(req.params.id, 'user');
    const { isMember } = parseBody(membershipSchema, req.body);
    res.json(presentMe(await setMembership(ctx, signedIn(req), userId, isMember)));
  });

  router.get('/admin/outbox', auth.requireUser, adminOnly, async (_req, res) => {
    res.json(await outboxStatus());
  });

  return router;
}
