// Account rules that the client's forms and the server's validation share.

export const ACCOUNT_LIMITS = {
  email: 254,
  passwordMin: 10,
  passwordMax: 200,
  name: 100,
  displayName: 50,
  bio: 500,
  maxAgeYears: 130,
} as const;

/** Below this age an account needs a parent's or guardian's confirmation before it can be used. */
export const MINOR_AGE = 18;

/** Whole years between a YYYY-MM-DD birth date and `today`'s UTC date. */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}
