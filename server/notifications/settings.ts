// Each person's notification settings: per type, in the app or not, and e-mail off (the default), instant or
// daily. Every change of an e-mail setting is a consent and goes to the ledger.
import type { Types } from 'mongoose';
import { NOTIFICATION_TYPES, type NotificationSetting, type NotificationSettings, type NotificationType } from '../../shared/notifications';
import { NotificationSettingsModel } from '../models/notification';
import { recordConsent } from '../services/consent';

const DEFAULT_SETTING: NotificationSetting = Object.freeze({ inApp: true, email: 'off' }) as NotificationSetting;

/** The consent ledger's channel for one type's e-mail; unsubscribe tokens name it too. */
export function emailChannel(type: NotificationType): string {
  return `notification_email:${type}`;
}

function settingsFrom(stored: Record<string, { inApp?: boolean; email?: string }> | undefined): NotificationSettings {
  const settings = {} as NotificationSettings;
  for (const type of NOTIFICATION_TYPES) {
    const entry = stored?.[type];
    settings[type] = {
      inApp: entry?.inApp ?? DEFAULT_SETTING.inApp,
      email: entry?.email === 'instant' || entry?.email === 'daily' ? entry.email : 'off',
    };
  }
  return settings;
}

export async function settingsOfUsers(userIds: readonly Types.ObjectId[]): Promise<Map<string, NotificationSettings>> {
  const rows = userIds.length
    ? await NotificationSettingsModel.find({ userId: { $in: userIds } }).lean<{ userId: Types.ObjectId; types: Record<string, { inApp?: boolean; email?: string }> }[]>()
    : [];
  const byUser = new Map(rows.map((row) => [String(row.userId), settingsFrom(row.types)]));
  return new Map(userIds.map((id) => [String(id), byUser.get(String(id)) ?? settingsFrom(undefined)]));
}

export async function getSettings(userId: Types.ObjectId): Promise<NotificationSettings> {
  return (await settingsOfUsers([userId])).get(String(userId))!;
}

export type SettingsChange = Partial<Record<NotificationType, Partial<NotificationSetting>>>;

/** Changes some types' settings; every change of an e-mail setting is a consent, recorded in the ledger. */
export async function updateSettings(userId: Types.ObjectId, change: SettingsChange, source: string): Promise<NotificationSettings> {
  const before = await getSettings(userId);
  const set: Record<string, unknown> = {};
  const consents: Array<{ type: NotificationType; email: string }> = [];
  for (const type of NOTIFICATION_TYPES) {
    const next = change[type];
    if (!next) continue;
    if (next.inApp !== undefined && next.inApp !== before[type].inApp) set[`types.${type}.inApp`] = next.inApp;
    if (next.email !== undefined && next.email !== before[type].email) {
      set[`types.${type}.email`] = next.email;
      consents.push({ type, email: next.email });
    }
  }
  if (Object.keys(set).length) await NotificationSettingsModel.updateOne({ userId }, { $set: set }, { upsert: true });
  for (const consent of consents) {
    await recordConsent({ userId, kind: 'preference', channel: emailChannel(consent.type), value: consent.email, source });
  }
  return getSettings(userId);
}


/**
 * The types an unsubscribe token's channel stands for: `notification_email:<type>` that type,
 * `notification_email:daily` every type now sent in the daily digest; null for a contact channel.
 */
export async function notificationTypesOfChannel(userId: Types.ObjectId, channel: string): Promise<NotificationType[] | null> {
  const match = /^notification_email:([a-z_]+)$/.exec(channel);
  if (!match) return null;
  if (match[1] === 'daily') {
    const settings = await getSettings(userId);
    return NOTIFICATION_TYPES.filter((type) => settings[type].email === 'daily');
  }
  return NOTIFICATION_TYPES.includes(match[1] as NotificationType) ? [match[1] as NotificationType] : [];
}
