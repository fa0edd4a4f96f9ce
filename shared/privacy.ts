// Privacy-rights shapes of the contract (../shared/API.md, "Privacy rights").
import type { ContactChannel, ContactPreferences, Group } from './api';

export interface DeleteAccountRequest {
  password: string;
}

export interface RestrictionRequest {
  restricted: boolean;
}

export interface RestrictionState {
  restricted: boolean;
}

export type PreferencesRequest = ContactPreferences;

/** `202` answer to `DELETE /api/me`: the account is already invisible; the rest finishes in the background. */
export interface ErasureAccepted {
  status: 'erasing';
}

export interface UnsubscribeRequest {
  token: string;
}

export interface UnsubscribeResult {
  channel: ContactChannel;
  subscribed: false;
}

export interface EmailChangeRequest {
  email: string;
  password: string;
}

/** `202` answer to `PUT /api/me/email`: the link went to the new address. */
export interface EmailChangeRequested {
  status: 'confirmation_sent';
}

export interface EmailChangeConfirmRequest {
  token: string;
}

export interface SuggestedGroups {
  items: Group[];
}
