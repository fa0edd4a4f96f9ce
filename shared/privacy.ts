// Privacy-rights answers of the contract (../shared/API.md, "Privacy rights"). The requests' shapes are the
// routes' zod schemas (server/http/privacy-schemas.ts).
import type { ContactChannel, Group } from './api';
import type { NotificationType } from './notifications';

export interface RestrictionState {
  restricted: boolean;
}

/** `202` answer to `DELETE /api/me`: the account is already invisible; the rest finishes in the background. */
export interface ErasureAccepted {
  status: 'erasing';
}

export interface UnsubscribeResult {
  channel: ContactChannel;
  /** A notification e-mail's link: the types whose e-mail it turned off (the channel itself stays on). */
  notifications?: NotificationType[];
  subscribed: false;
}

/** `202` answer to `PUT /api/me/email`: the link went to the new address. */
export interface EmailChangeRequested {
  status: 'confirmation_sent';
}

/**
 * `200` answer to `POST /api/auth/privacy-access`: a suspended account's pass (sent as a bearer token) to
 * `GET /api/me/export` and `DELETE /api/me`, and nothing else, until `expiresAt` (one hour).
 */
export interface PrivacyAccessGranted {
  token: string;
  expiresAt: string;
}

/**
 * `GET`/`PUT /api/me/parental-consent-requests`: whether the caller's own address refuses requests to
 * consent to a child's registration (set when they declined one through a parent's link), since when.
 */
export interface ParentalConsentRequests {
  refused: boolean;
  since: string | null;
}

export interface SuggestedGroups {
  items: Group[];
}
