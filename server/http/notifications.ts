// Notifications (list, unread count, mark read), their settings, and the @mention completion of a group.
import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { EMAIL_FREQUENCIES, NOTIFICATION_TYPES, type NotificationType } from '../../shared/notifications';
import type { AppContext } from '../context';
import { mentionable } from '../notifications/mentions';
import { DEFAULT_RETENTION_DAYS, listNotifications, markRead, unreadCount } from '../notifications/service';
import { getSettings, updateSettings, type SettingsChange } from '../notifications/settings';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../services/pagination';
import { signedIn, type Auth } from './auth';
import { objectIdString, parseBody, parsePathId, problem } from './validation';

/** Ids one mark-read request may name. */
const MAX_READ_IDS = 100;

const listSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** As handed out in nextCursor: `<time>.<id>`. */
  cursor: z.string().max(64).optional(),
  unread: z.enum(['true', 'false']).optional(),
});

const readSchema = z.union(
  [
    z.object({ ids: z.array(objectIdString).min(1).max(MAX_READ_IDS) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ],
  { error: problem('errors.field.readRequest', { max: MAX_READ_IDS }) },
);

const settingSchema = z.object({ inApp: z.boolean().optional(), email: z.enum(EMAIL_FREQUENCIES).optional() }).strict();
const settingsSchema = z
  .object(Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, settingSchema.optional()])) as Record<NotificationType, z.ZodOptional<typeof settingSchema>>)
  .strict();

const mentionableSchema = z.object({ q: z.string().max(80).default('') });

export function notificationsRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  const retentionDays = ctx.config.notificationRetentionDays ?? DEFAULT_RETENTION_DAYS;
  router.use('/notifications', auth.requireUser);
  router.use('/me/notification-settings', auth.requireUser);

  router.get('/notifications', async (req, res) => {
    const query = parseBody(listSchema, req.query);
    res.json(await listNotifications(signedIn(req), { limit: query.limit, cursor: query.cursor ?? null, unread: query.unread === 'true' }));
  });

  router.get('/notifications/unread-count', async (req, res) => {
    res.json({ count: await unreadCount(signedIn(req)) });
  });

  router.post('/notifications/read', async (req, res) => {
    const body = parseBody(readSchema, req.body);
    const request = 'all' in body ? { all: true as const } : { ids: body.ids.map((id) => new Types.ObjectId(id)) };
    res.json({ count: await markRead(ctx, signedIn(req), request, retentionDays) });
  });

  router.get('/me/notification-settings', async (req, res) => {
    res.json(await getSettings(signedIn(req)._id));
  });

  router.put('/me/notification-settings', async (req, res) => {
    const change = parseBody(settingsSchema, req.body) as SettingsChange;
    res.json(await updateSettings(signedIn(req)._id, change, 'notification_settings'));
  });

  router.get('/groups/:id/mentionable', auth.requireUser, async (req, res) => {
    const groupId = parsePathId(req.params.id, 'group');
    const { q } = parseBody(mentionableSchema, req.query);
    res.json({ items: await mentionable(signedIn(req), groupId, q.trim()), nextCursor: null });
  });

  return router;
}
