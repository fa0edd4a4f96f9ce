// Administrators' changes to accounts. Answers carry the admin view of the user (the `Me` shape).
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context';
import { presentMe } from '../presenters/user';
import { requireAdmin } from '../policy';
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

  return router;
}
