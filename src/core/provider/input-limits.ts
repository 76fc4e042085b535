/**
 * Upper bounds on what callers may hand us, checked before anything reaches storage: oversized or
 * malformed input must end as null or a clear error, never as a database error. The bounds follow
 * the column sizes in `prisma/oauth.prisma`.
 */

export const MAX_CLIENT_ID_LENGTH = 128;
export const MAX_CLIENT_NAME_LENGTH = 255;
/** Our credentials are 43 characters; anything far longer is not one of ours. */
export const MAX_CREDENTIAL_LENGTH = 512;
/**
 * The longest access token looked up: JWT access tokens (RFC 9068) are longer than opaque ones. The
 * longest one the kit can mint stays under 13 000 characters: an issuer of 512, an audience of
 * 4000 and a scope of 4000 characters, a user id of 128 (at most 384 bytes of UTF-8, doubled where
 * JSON escapes), the other claims and header, all base64url (4/3), and a 64-byte signature.
 */
export const MAX_ACCESS_TOKEN_LENGTH = 16 * 1024;
export const MAX_USER_ID_LENGTH = 128;
export const MAX_USERNAME_LENGTH = 255;
/**
 * The longest password accepted or checked, in UTF-16 code units (at most 3 KiB of UTF-8). It
 * bounds the only part of a password check whose cost depends on the password: scrypt's memory-hard
 * core costs the same for every password, and the password itself is only NFC-normalised and
 * hashed once by PBKDF2-HMAC-SHA256 (RFC 7914 §6), in time linear in its length. At this length
 * that part takes under a millisecond against hundreds for the check (measured at N=2^17: 461 ms
 * for 8 characters, 466–492 ms for 1024), so no accepted password costs noticeably more than
 * another, and no request can make a check arbitrarily long. Far above NIST SP 800-63B §5.1.1.2's
 * "at least 64 characters" for users' own passwords and passphrases.
 */
export const MAX_PASSWORD_LENGTH = 1024;
/**
 * The shortest password `users.create` accepts, in Unicode code points: NIST SP 800-63B
 * §5.1.1.2 asks for at least 8 characters in a password the user chose.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_SCOPE_NAME_LENGTH = 128;
export const MAX_SCOPE_DESCRIPTION_LENGTH = 1000;
export const MAX_SCOPE_STRING_LENGTH = 4000;
export const MAX_REDIRECT_URI_LENGTH = 2000;
export const MAX_STATE_LENGTH = 2000;

/** Client ids are restricted to RFC 3986 unreserved characters, which survive Basic auth and URLs. */
const CLIENT_ID = /^[A-Za-z0-9._~-]+$/;
/** Control characters and lone surrogates: databases reject them (PostgreSQL refuses NUL outright). */
const UNSTORABLE = /[\p{Cc}\p{Cs}]/u;

/** A non-empty string of at most `max` characters. */
export function isBoundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** How many Unicode code points `value` holds: an emoji or a CJK extension character counts once. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/** A non-empty, bounded string without control characters or lone surrogates: safe to store. */
export function isStorableText(value: unknown, max: number): value is string {
  return isBoundedString(value, max) && !UNSTORABLE.test(value);
}

/** Whether `value` can be a client id at all; lookups of anything else end before storage. */
export function isClientId(value: unknown): value is string {
  return isBoundedString(value, MAX_CLIENT_ID_LENGTH) && CLIENT_ID.test(value);
}

/** Whether `value` can be a user id recorded on a token or code. */
export function isUserId(value: unknown): value is string {
  return isStorableText(value, MAX_USER_ID_LENGTH);
}
