import { isStorableText, MAX_ACCESS_TOKEN_LENGTH, MAX_USERNAME_LENGTH } from '../provider/input-limits.js';
import type { Parameters } from './request-parameters.js';

/** A value of the `prompt` parameter (OIDC Core §3.1.2.1). */
export type OpenIdPrompt = 'none' | 'login' | 'consent' | 'select_account';

/**
 * The OpenID Connect parameters of an authorization request (OIDC Core §3.1.2.1) that this server
 * acts on. `claims`, `display`, `ui_locales` and `acr_values` are accepted and ignored: they are
 * requests the OP may decline (OIDC Core §3.1.2.1, §5.5), and this server serves one page, in
 * one language, with one authentication method.
 */
export interface OpenIdAuthorizationParameters {
  /** The `nonce`, given back in the ID token (OIDC Core §3.1.2.1); null when none was sent. */
  nonce: string | null;
  /** The `prompt` values, in the order sent, without repeats; empty when none was sent. */
  prompt: OpenIdPrompt[];
  /** `max_age` in seconds: how long ago the user may have authenticated; null when not sent. */
  maxAge: number | null;
  /** `login_hint`: the username to fill in; null when not sent, or not usable as a username. */
  loginHint: string | null;
  /**
   * `id_token_hint`, as sent: an ID token this provider issued to the client, naming the End-User
   * the client expects (OIDC Core §3.1.2.1); null when not sent. Carried back by the page's form.
   */
  idTokenHint: string | null;
  /**
   * The `sub` of the verified `id_token_hint`: only a user with this subject at the client may
   * approve the request, by session or by sign-in. Null without a hint. Set by the endpoint's
   * validation, once the hint verified as issued by this provider to this client.
   */
  hintedSubject: string | null;
}

/** The longest `nonce` kept (the codes' column holds 512 characters). */
export const MAX_NONCE_LENGTH = 512;

const PROMPTS: ReadonlySet<string> = new Set<OpenIdPrompt>(['none', 'login', 'consent', 'select_account']);

/** The OpenID parameters, or the error the request is redirected with. */
export type OpenIdParametersOutcome =
  | { ok: true; openid: OpenIdAuthorizationParameters }
  | { ok: false; error: string; description: string };

/**
 * Reads the OpenID Connect parameters of a request with the `openid` scope. A parameter sent
 * empty counts as not sent (RFC 6749 §3.1).
 */
export function readOpenIdParameters(p: Parameters): OpenIdParametersOutcome {
  const given = (name: string): string | undefined => (p[name] === undefined || p[name] === '' ? undefined : p[name]);
  const refuse = (error: string, description: string): OpenIdParametersOutcome => ({ ok: false, error, description });

  // OIDC Core §6: request objects are optional to support, and refused with their own errors.
  if (given('request') !== undefined) return refuse('request_not_supported', 'Request objects (`request`) are not supported');
  if (given('request_uri') !== undefined) return refuse('request_uri_not_supported', 'Request objects by reference (`request_uri`) are not supported');
  // The code flow answers in the query (OAuth 2.0 Multiple Response Types §2.1); no other mode is offered.
  const responseMode = given('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') {
    return refuse('invalid_request', 'Invalid parameter: `response_mode` (only `query` is supported)');
  }

  const prompt: OpenIdPrompt[] = [];
  const rawPrompt = given('prompt');
  if (rawPrompt !== undefined) {
    for (const value of rawPrompt.split(' ')) {
      if (value === '') continue;
      if (!PROMPTS.has(value)) return refuse('invalid_request', 'Invalid parameter: `prompt` (none, login, consent, select_account)');
      if (!prompt.includes(value as OpenIdPrompt)) prompt.push(value as OpenIdPrompt);
    }
    // OIDC Core §3.1.2.1: "If this parameter contains none with any other value, an error is returned."
    if (prompt.includes('none') && prompt.length > 1) return refuse('invalid_request', 'Invalid parameter: `prompt` (none goes with no other value)');
  }

  let maxAge: number | null = null;
  const rawMaxAge = given('max_age');
  if (rawMaxAge !== undefined) {
    // A non-negative integer of seconds (OIDC Core §3.1.2.1); more digits than a safe integer has are no age.
    if (!/^\d{1,15}$/.test(rawMaxAge)) return refuse('invalid_request', 'Invalid parameter: `max_age` (a non-negative whole number of seconds)');
    maxAge = Number(rawMaxAge);
  }

  const nonce = given('nonce') ?? null;
  if (nonce !== null && !isStorableText(nonce, MAX_NONCE_LENGTH)) {
    return refuse('invalid_request', `Invalid parameter: \`nonce\` (at most ${MAX_NONCE_LENGTH} characters, no control characters)`);
  }

  // A hint only (OIDC Core §3.1.2.1): one that cannot be a username is ignored, not refused.
  const rawHint = given('login_hint');
  const loginHint = rawHint !== undefined && isStorableText(rawHint, MAX_USERNAME_LENGTH) ? rawHint : null;

  // Bounded as the end-session endpoint bounds it; whether it is an ID token of ours, the endpoint checks.
  const idTokenHint = given('id_token_hint') ?? null;
  if (idTokenHint !== null && idTokenHint.length > MAX_ACCESS_TOKEN_LENGTH) {
    return refuse('invalid_request', `Invalid parameter: \`id_token_hint\` (at most ${MAX_ACCESS_TOKEN_LENGTH} characters)`);
  }

  return { ok: true, openid: { nonce, prompt, maxAge, loginHint, idTokenHint, hintedSubject: null } };
}
