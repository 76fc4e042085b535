import { ValidationError } from '../errors.js';

/** Lifetimes in seconds, server-wide defaults or per client. */
export interface Lifetimes {
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  authorizationCodeLifetime: number;
}

export const DEFAULT_LIFETIMES: Readonly<Lifetimes> = Object.freeze({
  accessTokenLifetime: 60 * 60,
  refreshTokenLifetime: 14 * 24 * 60 * 60,
  // RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED."
  authorizationCodeLifetime: 5 * 60,
});

/** Upper bounds: anything beyond is a configuration mistake, not a policy. */
export const MAX_LIFETIMES: Readonly<Lifetimes> = Object.freeze({
  accessTokenLifetime: 24 * 60 * 60,
  refreshTokenLifetime: 366 * 24 * 60 * 60,
  authorizationCodeLifetime: 10 * 60,
});

/** Throws {@link ValidationError} unless `value` is a whole number of seconds in (0, max]. */
export function assertLifetime(field: keyof Lifetimes, value: unknown): asserts value is number {
  const max = MAX_LIFETIMES[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
    throw new ValidationError(field, `must be a whole number of seconds between 1 and ${max}`);
  }
}

/** Adds `seconds` to an instant. */
export function addSeconds(instant: Date, seconds: number): Date {
  return new Date(instant.getTime() + seconds * 1000);
}
