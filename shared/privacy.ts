// Privacy-rights shapes of the contract (../shared/API.md, "Privacy rights").
import type { ContactPreferences } from './api';

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
