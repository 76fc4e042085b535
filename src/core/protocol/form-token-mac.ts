import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The HMAC core of the browser forms' CSRF tokens (the authorization form, the logout
 * confirmation): `v1.<issuedAt>.<base64url HMAC-SHA-256>` over `[context, binding, issuedAt,
 * ...fields]` as JSON (an array of strings, nulls and arrays is unambiguous: no two inputs share a
 * MAC input). The context string keeps a token of one form from ever verifying as another's.
 */
export interface FormTokenMac<P> {
  issue(binding: string, parameters: P): string;
  /** Whether `token` was issued for this binding and exactly these parameters, within its lifetime. Never throws. */
  verify(binding: unknown, parameters: P, token: unknown): boolean;
}

/** A form binding: the random value of the browser's cookie (256 bits, base64url). */
export const FORM_BINDING = /^[A-Za-z0-9_-]{43}$/;
const TOKEN = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
/** Tolerated clock difference between instances sharing the secret, in seconds. */
const CLOCK_SKEW = 60;

/** Issues and verifies tokens under `secret` (checked by the caller), for `lifetime` seconds. */
export function formTokenMac<P>(context: string, secret: Buffer, lifetime: number, now: () => Date, fields: (parameters: P) => unknown[]): FormTokenMac<P> {
  const mac = (binding: string, issuedAt: number, parameters: P): string =>
    createHmac('sha256', secret)
      .update(JSON.stringify([context, binding, issuedAt, ...fields(parameters)]))
      .digest('base64url');
  const seconds = () => Math.floor(now().getTime() / 1000);
  return {
    issue(binding, parameters) {
      if (!FORM_BINDING.test(binding)) throw new TypeError('not a form binding');
      const issuedAt = seconds();
      return `v1.${issuedAt}.${mac(binding, issuedAt, parameters)}`;
    },
    verify(binding, parameters, token) {
      if (typeof binding !== 'string' || !FORM_BINDING.test(binding) || typeof token !== 'string') return false;
      const match = TOKEN.exec(token);
      if (!match) return false;
      const issuedAt = Number(match[1]);
      const age = seconds() - issuedAt;
      if (age > lifetime || age < -CLOCK_SKEW) return false;
      // Compared as text, not decoded: base64url decoding ignores the spare bits of the last
      // character, so several spellings decode to one MAC; only the one we issued is accepted.
      const presented = Buffer.from(match[2] ?? '', 'utf8');
      const expected = Buffer.from(mac(binding, issuedAt, parameters), 'utf8');
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}
