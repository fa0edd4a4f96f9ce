// Disclosures: a hold's preserved items handed to an outside recipient, with a verifiable package.
import type { Types } from 'mongoose';
import type { Disclosure as DisclosureShape, DisclosureNotice, DisclosurePackage } from '../../shared/moderation';
import { chooseLanguage } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Conflict, Invalid, NotFound } from '../errors';
import { Disclosure, type DisclosureFields } from '../models/disclosure';
import { PreservedItem, type PreservedItemFields } from '../models/preserved-item';
import { User } from '../models/user';
import { authorizeSiteModeration } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentDisclosure, presentDisclosureNotice, presentHold } from '../presenters/moderation';
import { appendAudit } from './audit';
import { itemsOfHold, loadHold, sha256Hex } from './holds';
import { sendMessage } from './outbox';
import { disclosureNotice } from '../mail/templates';
import { notifyDisclosure } from '../notifications/hooks';

export interface NewDisclosure {
  holdId: Types.ObjectId;
  legalBasis: string;
  reference: string;
  recipient: string;
  notifyUser: boolean;
  withholdReason?: string | null;
}

function countByAuthor(items: Pick<PreservedItemFields, 'authorId'>[]): { userId: Types.ObjectId; itemCount: number }[] {
  const counts = new Map<string, { userId: Types.ObjectId; itemCount: number }>();
  for (const item of items) {
    if (!item.authorId) continue;
    const entry = counts.get(String(item.authorId)) ?? { userId: item.authorId, itemCount: 0 };
    entry.itemCount++;
    counts.set(String(item.authorId), entry);
  }
  return [...counts.values()];
}

/** Tells each affected user (who still has an account) what was disclosed, to whom and on what basis. */
async function notifyAffected(ctx: AppContext, disclosure: DisclosureFields): Promise<void> {
  const users = await User.find({ _id: { $in: disclosure.affected.map((entry) => entry.userId) } }, { email: 1, language: 1 }).lean<
    { _id: Types.ObjectId; email: string; language?: string }[]
  >();
  const counts = new Map(disclosure.affected.map((entry) => [String(entry.userId), entry.itemCount]));
  for (const user of users) {
    await sendMessage(ctx, {
      kind: 'transactional',
      to: user.email,
      userId: user._id,
      content: disclosureNotice(chooseLanguage(user.language), {
        itemCount: counts.get(String(user._id)) ?? 0,
        recipient: disclosure.recipient,
        legalBasis: disclosure.legalBasis,
        reference: disclosure.reference,
      }),
    });
  }
}

/**
 * Makes a disclosure of everything the hold covers now. The affected users are told unless the moderator
 * withholds the notice, which needs a reason and is audited on its own.
 */
export async function createDisclosure(ctx: AppContext, viewer: Viewer, input: NewDisclosure): Promise<DisclosureShape> {
  authorizeSiteModeration(viewer, 'disclose');
  const withholdReason = input.notifyUser ? null : (input.withholdReason?.trim() ?? '');
  if (withholdReason === '') throw new Invalid('withholdReason', 'errors.field.withholdReasonRequired');
  const hold = await loadHold(input.holdId).catch(() => {
    throw new Invalid('holdId', 'errors.field.noSuchHold');
  });
  if (hold.status !== 'active') throw new Conflict('errors.conflict.holdReleased', 'holdId');
  const items = await itemsOfHold(hold);
  if (!items.length) throw new Conflict('errors.conflict.holdEmpty', 'holdId');
  const disclosure = (
    await Disclosure.create({
      holdId: hold._id,
      legalBasis: input.legalBasis,
      reference: input.reference,
      recipient: input.recipient,
      notifyUser: input.notifyUser,
      withholdReason,
      createdBy: viewer._id,
      itemIds: items.map((item) => item._id),
      affected: countByAuthor(items),
    })
  ).toObject() as DisclosureFields;
  const target = `disclosure:${String(disclosure._id)}`;
  await appendAudit(ctx, { actor: viewer.id, action: 'disclosure.create', target, reason: `${input.legalBasis} (${input.reference})` });
  if (withholdReason) {
    await appendAudit(ctx, { actor: viewer.id, action: 'disclosure.withhold_notice', target, reason: withholdReason });
  } else {
    await notifyAffected(ctx, disclosure);
    await notifyDisclosure(ctx, disclosure._id, disclosure.affected.map((entry) => entry.userId));
  }
  return presentDisclosure(disclosure);
}

async function loadDisclosure(disclosureId: Types.ObjectId): Promise<DisclosureFields> {
  const disclosure = await Disclosure.findById(disclosureId).lean<DisclosureFields>();
  if (!disclosure) throw new NotFound('disclosure');
  return disclosure;
}

export async function getDisclosure(viewer: Viewer, disclosureId: Types.ObjectId): Promise<DisclosureShape> {
  authorizeSiteModeration(viewer, 'disclose');
  return presentDisclosure(await loadDisclosure(disclosureId));
}

/**
 * Builds the package of a disclosure: each preserved post as its stored JSON text and each image file as
 * base64, every one with the SHA-256 of exactly those bytes, plus a manifest. Every download is audited.
 */
export async function disclosurePackage(ctx: AppContext, viewer: Viewer, disclosureId: Types.ObjectId): Promise<DisclosurePackage> {
  authorizeSiteModeration(viewer, 'disclose');
  const disclosure = await loadDisclosure(disclosureId);
  const hold = await loadHold(disclosure.holdId);
  const stored = await PreservedItem.find({ _id: { $in: disclosure.itemIds } }).sort({ _id: 1 }).lean<PreservedItemFields[]>();
  if (stored.length !== disclosure.itemIds.length) {
    throw new Conflict('errors.conflict.disclosureItemsGone');
  }
  const items: DisclosurePackage['items'] = [];
  for (const item of stored) {
    const id = String(item._id);
    items.push({ id, type: 'post', mediaType: 'application/json', encoding: 'utf-8', data: item.document, sha256: sha256Hex(item.document) });
    for (const [index, image] of item.images.entries()) {
      const data = await ctx.media.read('preserved', image.key, image.variant);
      items.push({
        id: `${id}/images/${index}/${image.variant}`,
        type: 'image',
        mediaType: 'image/webp',
        encoding: 'base64',
        data: data.toString('base64'),
        sha256: sha256Hex(data),
      });
    }
  }
  const { downloadUrl: _url, ...disclosureMeta } = presentDisclosure(disclosure);
  await appendAudit(ctx, { actor: viewer.id, action: 'disclosure.download', target: `disclosure:${String(disclosure._id)}` });
  return {
    manifest: {
      hold: presentHold(hold),
      disclosure: disclosureMeta,
      producedAt: new Date().toISOString(),
      hashAlgorithm: 'sha256',
      items: items.map((item) => ({ id: item.id, type: item.type, sha256: item.sha256 })),
    },
    items,
  };
}

/** For the privacy export: disclosures of this user's content whose notice was not withheld. */
export async function disclosuresAbout(userId: Types.ObjectId): Promise<DisclosureNotice[]> {
  const rows = await Disclosure.find({ 'affected.userId': userId, notifyUser: true }).sort({ _id: -1 }).lean<DisclosureFields[]>();
  return rows.map((row) =>
    presentDisclosureNotice(row, row.affected.find((entry) => entry.userId.equals(userId))?.itemCount ?? 0),
  );
}

