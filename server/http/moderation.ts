// Moderation: reporting a post, the review queue and its actions, legal holds, disclosures, the audit log.
import { Router } from 'express';
import { z } from 'zod';
import { MODERATION_LIMITS } from '../../shared/moderation';
import type { AppContext } from '../context';
import { listAudit, verifyAudit } from '../services/audit';
import { createDisclosure, disclosurePackage, getDisclosure } from '../services/disclosures';
import { createHold, getHold, listHolds, releaseHold } from '../services/holds';
import {
  dismissReport,
  fileReport,
  hidePost,
  liftSuspension,
  listReports,
  moderatorDeletePost,
  restorePost,
  suspendMember,
} from '../services/moderation';
import { MAX_PAGE_SIZE, parsePageRequest } from '../services/pagination';
import { signedIn, type Auth } from './auth';
import { moderationReason } from './moderation-reason';
import { objectIdString, parseBody, parsePathId, problem } from './validation';

function text(max: number) {
  return z
    .string({ error: problem('errors.field.required') })
    .trim()
    .min(1, problem('errors.field.required'))
    .max(max, problem('errors.field.atMostChars', { max }));
}

const reason = text(MODERATION_LIMITS.reason);
const reasonSchema = z.object({ reason });
/** Restoring and lifting a suspension may say why, but need not. */
const optionalReasonSchema = z.object({ reason: reason.optional() });

const reportListSchema = z.object({
  /** `all`: handled reports too, so a moderator can look back at what was decided. */
  status: z.enum(['open', 'resolved', 'dismissed', 'all'], { error: problem('errors.field.oneOf', { values: 'open, resolved, dismissed, all' }) }).default('open'),
});

const holdSchema = z.object({
  scope: z.object(
    {
      type: z.enum(['post', 'user', 'group'], { error: problem('errors.field.oneOf', { values: 'post, user, group' }) }),
      id: objectIdString,
    },
    { error: problem('errors.field.required') },
  ),
  reason,
  /** The authority's or counsel's reference: a case number, a request id. */
  reference: text(MODERATION_LIMITS.reference),
});

const holdListSchema = z.object({ status: z.enum(['active', 'released']).default('active') });

const disclosureSchema = z.object({
  holdId: objectIdString,
  legalBasis: text(MODERATION_LIMITS.legalBasis),
  reference: text(MODERATION_LIMITS.reference),
  recipient: text(MODERATION_LIMITS.recipient),
  /** Affected users are told unless this is false, which needs a withholdReason. */
  notifyUser: z.boolean({ error: problem('errors.field.boolean') }).default(true),
  withholdReason: text(MODERATION_LIMITS.reason).optional(),
});

const auditPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  /** The seq of the last entry of the previous page. */
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, problem('errors.field.cursor'))
    .optional(),
});

/** Picks the known query parameters only, so a stray `?reason=` never trips a schema. */
function query(req: { query: unknown }, keys: string[]): Record<string, unknown> {
  const source = (req.query ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}

export function moderationRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  router.use('/mod', auth.requireUser);

  router.post('/posts/:id/reports', auth.requireUser, async (req, res) => {
    const postId = parsePathId(req.params.id, 'post');
    res.status(201).json(await fileReport(signedIn(req), postId, parseBody(reasonSchema, req.body).reason));
  });

  router.get('/mod/reports', async (req, res) => {
    const { status } = parseBody(reportListSchema, query(req, ['status']));
    res.json(await listReports(ctx, signedIn(req), status, parsePageRequest(query(req, ['limit', 'cursor'])), moderationReason(req)));
  });

  router.post('/mod/reports/:id/dismiss', async (req, res) => {
    const reportId = parsePathId(req.params.id, 'report');
    await dismissReport(ctx, signedIn(req), reportId, parseBody(reasonSchema, req.body).reason);
    res.status(204).end();
  });

  router.post('/mod/posts/:id/hide', async (req, res) => {
    const postId = parsePathId(req.params.id, 'post');
    res.json(await hidePost(ctx, signedIn(req), postId, parseBody(reasonSchema, req.body).reason));
  });

  router.post('/mod/posts/:id/restore', async (req, res) => {
    const postId = parsePathId(req.params.id, 'post');
    res.json(await restorePost(ctx, signedIn(req), postId, parseBody(optionalReasonSchema, req.body).reason ?? null));
  });

  router.post('/mod/posts/:id/delete', async (req, res) => {
    const postId = parsePathId(req.params.id, 'post');
    await moderatorDeletePost(ctx, signedIn(req), postId, parseBody(reasonSchema, req.body).reason);
    res.status(204).end();
  });

  router.post('/mod/groups/:id/members/:userId/suspend', async (req, res) => {
    const groupId = parsePathId(req.params.id, 'group');
    const userId = parsePathId(req.params.userId, 'user');
    res.json(await suspendMember(ctx, signedIn(req), groupId, userId, parseBody(reasonSchema, req.body).reason));
  });

  router.delete('/mod/groups/:id/members/:userId/suspend', async (req, res) => {
    const groupId = parsePathId(req.params.id, 'group');
    const userId = parsePathId(req.params.userId, 'user');
    res.json(await liftSuspension(ctx, signedIn(req), groupId, userId, parseBody(optionalReasonSchema, req.body).reason ?? null));
  });

  router.post('/mod/holds', async (req, res) => {
    const input = parseBody(holdSchema, req.body);
    const hold = await createHold(ctx, signedIn(req), {
      scope: { type: input.scope.type, id: parsePathId(input.scope.id, input.scope.type) },
      reason: input.reason,
      reference: input.reference,
    });
    res.status(201).json(hold);
  });

  router.get('/mod/holds', async (req, res) => {
    const { status } = parseBody(holdListSchema, query(req, ['status']));
    res.json(await listHolds(signedIn(req), status, parsePageRequest(query(req, ['limit', 'cursor']))));
  });

  router.get('/mod/holds/:id', async (req, res) => {
    res.json(await getHold(ctx, signedIn(req), parsePathId(req.params.id, 'hold')));
  });

  router.delete('/mod/holds/:id', async (req, res) => {
    const holdId = parsePathId(req.params.id, 'hold');
    res.json(await releaseHold(ctx, signedIn(req), holdId, parseBody(reasonSchema, req.body).reason));
  });

  router.post('/mod/disclosures', async (req, res) => {
    const input = parseBody(disclosureSchema, req.body);
    res.status(201).json(await createDisclosure(ctx, signedIn(req), { ...input, holdId: parsePathId(input.holdId, 'hold') }));
  });

  router.get('/mod/disclosures/:id', async (req, res) => {
    res.json(await getDisclosure(signedIn(req), parsePathId(req.params.id, 'disclosure')));
  });

  router.get('/mod/disclosures/:id/package', async (req, res) => {
    res.json(await disclosurePackage(ctx, signedIn(req), parsePathId(req.params.id, 'disclosure')));
  });

  router.get('/mod/audit', async (req, res) => {
    const page = parseBody(auditPageSchema, query(req, ['limit', 'cursor']));
    res.json(await listAudit(signedIn(req), { limit: page.limit, beforeSeq: page.cursor ? Number(page.cursor) : null }));
  });

  router.get('/mod/audit/verify', async (req, res) => {
    res.json(await verifyAudit(signedIn(req)));
  });

  return router;
}
