// Groups, memberships and posting into a group.
import { Router, type RequestHandler } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { AppContext } from '../context';
import { MAX_UPLOAD_BYTES } from '../media/images';
import { MAX_IMAGES_PER_POST } from '../media/post-images';
import { groupFeed } from '../services/feeds';
import { sendJsonBytes } from './json-bytes';
import {
  approveMember,
  createGroup,
  getGroup,
  inviteMember,
  joinGroup,
  listGroups,
  listMembers,
  removeMember,
  setMemberRole,
  updateGroup,
} from '../services/groups';
import { parsePageRequest } from '../services/pagination';
import { createPost } from '../services/posts';
import { signedIn, type Auth } from './auth';
import { plainText } from './account-schemas';
import { imageUploads, uploadedImages } from './image-uploads';
import { moderationReason } from './moderation-reason';
import { objectIdString, parseBody, parsePathId, problem } from './validation';

const visibility = z.enum(['public', 'closed']);
const joinPolicy = z.enum(['open', 'request', 'invite']);
// The plain-text rules of display names: no markup, control characters or bidirectional overrides.
const name = plainText({ min: 1, max: 80 });
const description = plainText({ min: 0, max: 2000, multiline: true });
/** Plain text like the description; longer, since rules are often a numbered list. */
const rules = plainText({ min: 0, max: 4000, multiline: true });

const createGroupSchema = z.object({
  name,
  description: description.default(''),
  rules: rules.default(''),
  visibility,
  /** Defaults to `open` for public groups and `request` for closed ones. */
  joinPolicy: joinPolicy.optional(),
});

const updateGroupSchema = z
  .object({ name: name.optional(), description: description.optional(), rules: rules.optional(), visibility: visibility.optional(), joinPolicy: joinPolicy.optional() })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), problem('errors.field.atLeastOneOf', { fields: 'name, description, rules, visibility, joinPolicy' }));

const inviteSchema = z.object({ userId: objectIdString });
const roleSchema = z.object({ role: z.enum(['moderator', 'member']) });
const memberListSchema = z.object({ status: z.enum(['member', 'pending', 'invited']).default('member') });

const newPostSchema = z.object({
  // Length is checked by the service (413 naming `body`), after multipart and JSON alike.
  body: z.string({ error: problem('errors.field.required') }),
  parentId: objectIdString.nullish(),
});

/** Multipart posts: `body`, optional `parentId`, up to 4 `images`. Plain JSON passes straight through. */
function postUpload(): RequestHandler {
  const upload = imageUploads(
    { fileSize: MAX_UPLOAD_BYTES, files: MAX_IMAGES_PER_POST, fields: 4, fieldSize: 100 * 1024 },
    (multipart) => multipart.array('images', MAX_IMAGES_PER_POST),
  );
  return (req, res, next) => (req.is('multipart/form-data') ? upload(req, res, next) : next());
}

export function groupsRouter(ctx: AppContext, auth: Auth): Router {
  const router = Router();
  router.use('/groups', auth.requireUser);

  // First: the most read route here, and Express tries routes in order (docs/performance.md, issue 23).
  router.get('/groups/:id/posts', async (req, res) => {
    sendJsonBytes(res, await groupFeed(ctx, signedIn(req), parsePathId(req.params.id, 'group'), parsePageRequest(req.query), moderationReason(req)));
  });

  router.post('/groups', async (req, res) => {
    res.status(201).json(await createGroup(ctx, signedIn(req), parseBody(createGroupSchema, req.body)));
  });

  router.get('/groups', async (req, res) => {
    res.json(await listGroups(signedIn(req), parsePageRequest(req.query)));
  });

  router.get('/groups/:id', async (req, res) => {
    res.json(await getGroup(signedIn(req), parsePathId(req.params.id, 'group')));
  });

  router.patch('/groups/:id', async (req, res) => {
    res.json(await updateGroup(ctx, signedIn(req), parsePathId(req.params.id, 'group'), parseBody(updateGroupSchema, req.body)));
  });

  router.post('/groups/:id/join', async (req, res) => {
    res.json(await joinGroup(ctx, signedIn(req), parsePathId(req.params.id, 'group')));
  });

  router.get('/groups/:id/members', async (req, res) => {
    const { status } = parseBody(memberListSchema, { status: req.query.status });
    res.json(await listMembers(signedIn(req), parsePathId(req.params.id, 'group'), status, parsePageRequest(req.query)));
  });

  router.post('/groups/:id/members/:userId/approve', async (req, res) => {
    res.json(await approveMember(ctx, signedIn(req), parsePathId(req.params.id, 'group'), parsePathId(req.params.userId, 'user')));
  });

  router.put('/groups/:id/members/:userId/role', async (req, res) => {
    const { role } = parseBody(roleSchema, req.body);
    res.json(await setMemberRole(ctx, signedIn(req), parsePathId(req.params.id, 'group'), parsePathId(req.params.userId, 'user'), role));
  });

  router.delete('/groups/:id/members/:userId', async (req, res) => {
    await removeMember(ctx, signedIn(req), parsePathId(req.params.id, 'group'), parsePathId(req.params.userId, 'user'));
    res.status(204).end();
  });

  router.post('/groups/:id/invites', async (req, res) => {
    const { userId } = parseBody(inviteSchema, req.body);
    res.status(201).json(await inviteMember(ctx, signedIn(req), parsePathId(req.params.id, 'group'), new Types.ObjectId(userId)));
  });

  router.post('/groups/:id/posts', postUpload(), async (req, res) => {
    const groupId = parsePathId(req.params.id, 'group');
    const input = parseBody(newPostSchema, req.body);
    const post = await createPost(ctx, signedIn(req), groupId, {
      body: input.body,
      parentId: input.parentId ? parsePathId(input.parentId, 'post') : null,
      images: uploadedImages(req),
    });
    res.status(201).json(post);
  });

  return router;
}
