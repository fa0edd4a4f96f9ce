// The admin console's routes (`/api/admin/*`, admins only): finding people, suspension, the registration
// policy with its approval queue and invitation links, and the erasures in progress. Every route refuses
// non-admins with 403 before validating or looking anything up.
import { Router, type RequestHandler } from 'express';
import type { RegistrationPolicyState } from '../../shared/admin';
import type { AppContext } from '../context';
import { requireAdmin } from '../policy';
import { presentAdminUser } from '../presenters/admin';
import { erasuresInProgress, lookUpUsers } from '../services/admin-views';
import { parsePageRequest } from '../services/pagination';
import { approveRegistration, declineRegistration, listAwaitingApproval } from '../services/registration-queue';
import { createInvitation, currentRegistrationPolicy, listInvitations, registrationPolicySetting, revokeInvitation, setRegistrationPolicy } from '../services/registration-policy';
import { reinstateAccount, suspendAccount } from '../services/suspension';
import { invitationSchema, registrationPolicySchema, suspensionSchema, userLookupSchema } from './admin-schemas';
import { signedIn, type Auth } from './auth';
import { parseBody, parsePathId } from './validation';

export function adminConsoleRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  const adminOnly: RequestHandler = (req, _res, next) => {
    requireAdmin(signedIn(req));
    next();
  };
  const admin = [auth.requireUser, adminOnly];

  // The sign-up page asks which policy applies before anyone has an account.
  router.get('/auth/registration-policy', async (_req, res) => {
    res.json({ policy: await currentRegistrationPolicy() } satisfies RegistrationPolicyState);
  });

  router.get('/admin/users', ...admin, async (req, res) => {
    const { q } = parseBody(userLookupSchema, req.query);
    const found = await lookUpUsers(ctx, signedIn(req), q);
    res.json({ items: found.map(presentAdminUser), nextCursor: null });
  });

  router.post('/admin/users/:id/suspend', ...admin, async (req, res) => {
    const userId = parsePathId(req.params.id, 'user');
    const { reason } = parseBody(suspensionSchema, req.body);
    res.json(presentAdminUser(await suspendAccount(ctx, signedIn(req), userId, reason)));
  });

  router.post('/admin/users/:id/reinstate', ...admin, async (req, res) => {
    const userId = parsePathId(req.params.id, 'user');
    const { reason } = parseBody(suspensionSchema, req.body);
    res.json(presentAdminUser(await reinstateAccount(ctx, signedIn(req), userId, reason)));
  });

  router.get('/admin/registration-policy', ...admin, async (_req, res) => {
    res.json(await registrationPolicySetting());
  });

  router.put('/admin/registration-policy', ...admin, async (req, res) => {
    const { policy } = parseBody(registrationPolicySchema, req.body);
    res.json(await setRegistrationPolicy(ctx, signedIn(req), policy));
  });

  router.get('/admin/registrations', ...admin, async (req, res) => {
    const page = await listAwaitingApproval(signedIn(req), parsePageRequest(req.query));
    res.json({ items: page.items.map(presentAdminUser), nextCursor: page.nextCursor });
  });

  router.post('/admin/registrations/:id/approve', ...admin, async (req, res) => {
    const userId = parsePathId(req.params.id, 'registration');
    res.json(presentAdminUser(await approveRegistration(ctx, signedIn(req), userId)));
  });

  router.post('/admin/registrations/:id/decline', ...admin, async (req, res) => {
    const userId = parsePathId(req.params.id, 'registration');
    await declineRegistration(ctx, signedIn(req), userId);
    res.status(204).end();
  });

  router.get('/admin/invitations', ...admin, async (req, res) => {
    res.json(await listInvitations(signedIn(req), parsePageRequest(req.query)));
  });

  router.post('/admin/invitations', ...admin, async (req, res) => {
    const input = parseBody(invitationSchema, req.body);
    res.status(201).json(await createInvitation(ctx, signedIn(req), input));
  });

  router.delete('/admin/invitations/:id', ...admin, async (req, res) => {
    const id = parsePathId(req.params.id, 'invitation');
    res.json(await revokeInvitation(ctx, signedIn(req), id));
  });

  router.get('/admin/erasures', ...admin, async (req, res) => {
    res.json({ items: await erasuresInProgress(signedIn(req)), nextCursor: null });
  });

  return router;
}
