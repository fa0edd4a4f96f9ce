// Shapes of the admin console's routes (`/api/admin/*`, admins only); see docs/api.md, "Admin console".
import type { Me } from './api';

type Id = string;
type IsoTime = string;

export const REGISTRATION_POLICIES = ['open', 'approval', 'invitation'] as const;
/** `open`: anyone may register; `approval`: an admin admits each registrant; `invitation`: only with a valid invitation link. */
export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

/** `GET /api/auth/registration-policy` (no login): what the sign-up page must ask for. */
export interface RegistrationPolicyState {
  policy: RegistrationPolicy;
}

/** The admin's view of the setting: who changed it last, and when (null: never changed, the default). */
export interface RegistrationPolicySetting extends RegistrationPolicyState {
  changedAt: IsoTime | null;
  changedBy: Id | null;
}

export type AccountStatus = 'active' | 'pending_verification' | 'pending_parental_consent' | 'pending_approval';

/** An account as an admin sees it: the owner's own view plus its state. */
export interface AdminUser extends Me {
  status: AccountStatus;
  /** Registered under the approval policy and not admitted yet. */
  awaitingApproval: boolean;
  suspended: { at: IsoTime; by: Id | null; reason: string } | null;
}

export type InvitationState = 'active' | 'used_up' | 'expired' | 'revoked';

export interface RegistrationInvitation {
  id: Id;
  label: string;
  maxUses: number;
  uses: number;
  createdAt: IsoTime;
  createdBy: Id;
  expiresAt: IsoTime;
  revokedAt: IsoTime | null;
  state: InvitationState;
}

/** `POST /api/admin/invitations` answer: the link exists only in this answer (the token is stored hashed). */
export interface InvitationCreated {
  invitation: RegistrationInvitation;
  link: string;
}

/** An erasure still running: progress only, nothing that names the person. */
export interface ErasureInProgress {
  id: Id;
  startedAt: IsoTime;
  stepsDone: number;
  stepsTotal: number;
  /** The step it works on or resumes at. */
  nextStep: string | null;
  attempts: number;
  /** A process holds it right now. */
  running: boolean;
}

/** `GET /api/admin/outbox`. */
export interface OutboxStatusView {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  cancelled: number;
  lastFailures: { at: IsoTime; type: string; error: string }[];
}
