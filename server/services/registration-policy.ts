// Who may register: the policy admins choose (open, approved by an admin, or by invitation link), the
// invitation links, and the check registration makes before it creates an account.
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { InvitationCreated, InvitationState, RegistrationInvitation as InvitationShape, RegistrationPolicy, RegistrationPolicySetting } from '../../shared/admin';
import type { Page } from '../../shared/api';
import type { AppContext } from '../context';
import { Conflict, HttpError, NotFound } from '../errors';
import { RegistrationInvitation, type RegistrationInvitationFields } from '../models/registration-invitation';
import { SiteSetting, type SiteSettingFields } from '../models/site-setting';
import type { UserFields } from '../models/user';
import { requireAdmin } from '../policy';
import type { Viewer } from '../policy/viewer';
import { appendAudit } from './audit';
import { cursorFilter, toPage, type PageRequest } from './pagination';
import { hashToken } from './tokens';

const SETTING_ID = 'registration';
/** Until an admin chooses, anyone may register (as before the setting existed). */
export const DEFAULT_REGISTRATION_POLICY: RegistrationPolicy = 'open';
const DAY_MS = 24 * 60 * 60 * 1000;

export async function registrationPolicySetting(): Promise<RegistrationPolicySetting> {
  const stored = await SiteSetting.findById(SETTING_ID).lean<SiteSettingFields>();
  if (!stored) return { policy: DEFAULT_REGISTRATION_POLICY, changedAt: null, changedBy: null };
  return { policy: stored.registrationPolicy as RegistrationPolicy, changedAt: stored.changedAt.toISOString(), changedBy: String(stored.changedBy) };
}

export async function currentRegistrationPolicy(): Promise<RegistrationPolicy> {
  return (await registrationPolicySetting()).policy;
}

/** Stores the policy (audited with the change); choosing the current one again changes and records nothing. */
export async function setRegistrationPolicy(ctx: AppContext, actor: Viewer, policy: RegistrationPolicy, now = new Date()): Promise<RegistrationPolicySetting> {
  requireAdmin(actor);
  const before = await registrationPolicySetting();
  if (before.policy === policy) return before;
  await SiteSetting.updateOne({ _id: SETTING_ID }, { $set: { registrationPolicy: policy, changedAt: now, changedBy: actor._id } }, { upsert: true });
  await appendAudit(ctx, { actor: actor.id, action: 'settings.registration_policy', target: 'setting:registration_policy', reason: `${before.policy} → ${policy}` });
  return registrationPolicySetting();
}

function invitationState(invitation: RegistrationInvitationFields, now: Date): InvitationState {
  if (invitation.revokedAt) return 'revoked';
  if (invitation.uses >= invitation.maxUses) return 'used_up';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

function presentInvitation(invitation: RegistrationInvitationFields, now = new Date()): InvitationShape {
  return {
    id: String(invitation._id),
    label: invitation.label ?? '',
    maxUses: invitation.maxUses,
    uses: invitation.uses,
    createdAt: invitation.createdAt.toISOString(),
    createdBy: String(invitation.createdBy),
    expiresAt: invitation.expiresAt.toISOString(),
    revokedAt: invitation.revokedAt ? invitation.revokedAt.toISOString() : null,
    state: invitationState(invitation, now),
  };
}

export interface NewInvitation {
  maxUses: number;
  expiresInDays: number;
  label: string;
}

export async function createInvitation(ctx: AppContext, actor: Viewer, input: NewInvitation, now = new Date()): Promise<InvitationCreated> {
  requireAdmin(actor);
  const token = randomBytes(32).toString('base64url');
  const invitation = (
    await RegistrationInvitation.create({
      tokenHash: hashToken(token),
      label: input.label,
      maxUses: input.maxUses,
      createdBy: actor._id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
    })
  ).toObject() as RegistrationInvitationFields;
  const target = `invitation:${String(invitation._id)}`;
  await appendAudit(ctx, { actor: actor.id, action: 'invitation.create', target, reason: `up to ${input.maxUses} registration(s) for ${input.expiresInDays} day(s)` });
  return { invitation: presentInvitation(invitation, now), link: `${ctx.config.publicUrl}/signup?invitation=${encodeURIComponent(token)}` };
}

export async function listInvitations(actor: Viewer, page: PageRequest): Promise<Page<InvitationShape>> {
  requireAdmin(actor);
  const rows = await RegistrationInvitation.find(cursorFilter(page))
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<RegistrationInvitationFields[]>();
  const now = new Date();
  return toPage(rows, page, (kept) => kept.map((row) => presentInvitation(row, now)));
}

export async function revokeInvitation(ctx: AppContext, actor: Viewer, id: Types.ObjectId, now = new Date()): Promise<InvitationShape> {
  requireAdmin(actor);
  const revoked = await RegistrationInvitation.findOneAndUpdate({ _id: id, revokedAt: null }, { $set: { revokedAt: now } }, { new: true }).lean<RegistrationInvitationFields>();
  if (!revoked) {
    if (await RegistrationInvitation.exists({ _id: id })) throw new Conflict('errors.conflict.invitationRevoked');
    throw new NotFound('invitation');
  }
  await appendAudit(ctx, { actor: actor.id, action: 'invitation.revoke', target: `invitation:${String(id)}` });
  return presentInvitation(revoked, now);
}

/** What the registration policy decided for one registration. */
export interface Admission {
  /** The account waits for an admin after its address is verified. */
  awaitingApproval: boolean;
  /** Gives the invitation's use back when the registration fails after the check. */
  release(): Promise<void>;
}

const NOTHING_TO_RELEASE = async () => undefined;

function invitationRequired(): HttpError {
  return new HttpError(403, 'invitation_required', { key: 'errors.registration.invitationRequired' }, 'invitation');
}

function invitationInvalid(): HttpError {
  return new HttpError(403, 'invitation_invalid', { key: 'errors.registration.invitationInvalid' }, 'invitation');
}

/** Takes one use of a valid invitation (atomically, so a link for one person admits one even when raced). */
async function useInvitation(token: string, now: Date): Promise<() => Promise<void>> {
  const taken = await RegistrationInvitation.findOneAndUpdate(
    { tokenHash: hashToken(token), revokedAt: null, expiresAt: { $gt: now }, $expr: { $lt: ['$uses', '$maxUses'] } },
    { $inc: { uses: 1 } },
    { new: true, projection: { _id: 1 } },
  ).lean();
  if (!taken) throw invitationInvalid();
  return async () => {
    await RegistrationInvitation.updateOne({ _id: taken._id, uses: { $gt: 0 } }, { $inc: { uses: -1 } });
  };
}

/**
 * The policy's check before an account is made. It depends on the policy and the invitation only, never on
 * the address, so registration still answers the same whether or not the address is known. Open: anyone.
 * Invitation: a valid link is required (one use is taken). Approval: the account waits for an admin,
 * unless a valid invitation admits it (a wrong one is refused rather than silently queued).
 */
export async function admitRegistration(invitation: string | undefined, now = new Date()): Promise<Admission> {
  const policy = await currentRegistrationPolicy();
  if (policy === 'open') return { awaitingApproval: false, release: NOTHING_TO_RELEASE };
  if (invitation === undefined) {
    if (policy === 'invitation') throw invitationRequired();
    return { awaitingApproval: true, release: NOTHING_TO_RELEASE };
  }
  return { awaitingApproval: false, release: await useInvitation(invitation, now) };
}

/** The status an account takes once its address is verified (and, for a minor, a parent confirmed). */
export function statusOnceVerified(user: Pick<UserFields, 'awaitingApproval'> | null | undefined): 'active' | 'pending_approval' {
  return user?.awaitingApproval === true ? 'pending_approval' : 'active';
}
