import { ValidationError } from '../errors.js';

/** The longest issuer identifier accepted, in characters: it is in every JWT access token. */
export const MAX_ISSUER_LENGTH = 512;

/** Hosts on which plain `http` is accepted, for development. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The `issuer` option, checked against RFC 8414 §2: a URL using `https` (plain `http` only on a
 * loopback host, for development) without query or fragment, and without credentials; at most
 * {@link MAX_ISSUER_LENGTH} characters. Kept exactly as given: it is compared as a string by every
 * client and resource server (RFC 8414 §3.3, RFC 9068 §4), so `https://a.example` and
 * `https://a.example/` are two issuers. Throws {@link ValidationError} naming `issuer`.
 */
export function parseIssuerOption(value: unknown): string {
  const refuse = (reason: string) => new ValidationError('issuer', reason);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ISSUER_LENGTH) {
    throw refuse(`must be a URL of at most ${MAX_ISSUER_LENGTH} characters (RFC 8414 §2), e.g. https://login.example.com`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(`must be an absolute URL (RFC 8414 §2), e.g. https://login.example.com`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw refuse('must use https (http only on a loopback host, for development; RFC 8414 §2)');
  }
  if (value.includes('?') || value.includes('#')) throw refuse('must have no query or fragment (RFC 8414 §2)');
  if (url.username !== '' || url.password !== '') throw refuse('must not carry a user name or password');
  if (/[\s"\\]/.test(value) || /[^\x21-\x7e]/.test(value)) throw refuse('must be written in URI characters only');
  return value;
}
