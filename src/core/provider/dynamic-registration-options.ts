import { ValidationError } from '../errors.js';
import type { AttemptLimiterFactory } from '../runtime/attempt-throttle.js';
import { isScopeToken } from './scope.js';
import { digestCredential } from './opaque-credentials.js';
import { REGISTRATION_ERROR_CODES, type RegistrationErrorCode } from './registration-error.js';
import type { ClientMetadata } from './registration-metadata.js';

/**
 * The `dynamicRegistration` option of an OAuthProvider: clients that register themselves
 * (RFC 7591) and manage their registration (RFC 7592). Off unless given.
 */
export interface DynamicRegistrationOptions {
  /**
   * Who may register, decided for every registration and update:
   * - `'public-clients'`: open registration of public clients only (`token_endpoint_auth_method:
   *   none`, which the authorization-code flow with PKCE serves); a confidential client is refused
   *   `invalid_client_metadata`. What MCP clients need.
   * - `'initial-access-token'`: any client, public or confidential, that presents the
   *   `initialAccessToken` (RFC 7591 §3) as a Bearer token.
   * - a function: decides from the validated metadata and the request's source; it may refuse
   *   (an RFC 7591 §3.2.2 error) or narrow the scope.
   */
  policy: 'public-clients' | 'initial-access-token' | RegistrationPolicy;
  /**
   * The initial access token (RFC 7591 §3), or several (to rotate one without an outage): when
   * given, every registration must present one as `Authorization: Bearer …`, whatever the policy;
   * required by `'initial-access-token'`. At least 32 characters; kept in memory only as its
   * SHA-256 digest and compared in constant time.
   */
  initialAccessToken?: string | readonly string[];
  /**
   * Registrations accepted from one source address (the request's, as the binding trusts it) per
   * window; past it the source is answered 429 with `Retry-After`, and nobody else is. Every
   * registration request counts, refused ones included. Counted where the provider's failed-attempt
   * throttle counts (its `throttle.store`: the storage's attempt-counter table by default). Default
   * 20 per 3600 s; `false` for none.
   */
  throttle?: RegistrationThrottleOptions | false;
  /**
   * The most a self-registered client may be granted: the scopes its registration may name, and
   * those it gets when it names none (RFC 7591 §2 `scope`). Default: every scope in the catalogue
   * at the moment it registers. Scopes not in the catalogue at that moment are left out.
   *
   * A client whose registration names its `scope` gets that scope (as the policy leaves it) as its
   * default scope too: an authorization or token request that names no scope is granted it (RFC
   * 6749 §3.3). A client whose registration names none has no default scope: such a request is
   * refused `invalid_scope`.
   */
  scopes?: readonly string[];
}

/** How many registrations one source address may make. */
export interface RegistrationThrottleOptions {
  /** Registration requests accepted per window from one source. 1–10 000. */
  maxRegistrations: number;
  /** The window, in seconds. 1–86 400. */
  windowSeconds: number;
}

/** What a {@link RegistrationPolicy} decides from. */
export interface RegistrationRequestFacts {
  /** A new registration (RFC 7591 §3.1) or an update of one (RFC 7592 §2.2). */
  operation: 'register' | 'update';
  /** The client being updated; null for a new registration. */
  clientId: string | null;
  /** The metadata as validated, defaults applied (RFC 7591 §2); `scope` is what it would get. */
  metadata: Readonly<ClientMetadata>;
  /** The network address the request came from, as the binding trusts it; null when unknown. */
  sourceAddress: string | null;
  /**
   * The `software_statement` the request carried (RFC 7591 §2.3), not verified: the server does
   * not process software statements (§3.1.1), a policy may verify it and refuse
   * `unapproved_software_statement`. Null when none.
   */
  softwareStatement: string | null;
}

/** What a {@link RegistrationPolicy} decides. */
export type RegistrationDecision =
  | {
      accept: true;
      /** Narrows the scope the client gets: scopes outside what it asked for are left out. */
      scope?: readonly string[];
    }
  | {
      accept: false;
      /** The RFC 7591 §3.2.2 error code. Default `invalid_client_metadata`. */
      error?: RegistrationErrorCode;
      /** Said to the client as `error_description`: printable ASCII, never a secret. */
      description?: string;
    };

/** Decides a registration or an update; may be async. A throw answers 500 and reaches `onError`. */
export type RegistrationPolicy = (facts: RegistrationRequestFacts) => RegistrationDecision | Promise<RegistrationDecision>;

/** The option, checked and with defaults applied. */
export interface ResolvedDynamicRegistration {
  policy: RegistrationPolicy;
  /** SHA-256 digests (hex) of the initial access tokens; empty: none is required. */
  initialAccessTokenDigests: readonly string[];
  throttle: RegistrationThrottleOptions | false;
  /** Null: every scope of the catalogue. */
  scopes: readonly string[] | null;
  /** Where the registration counters live: the provider's throttle store. */
  store: 'storage' | 'memory' | AttemptLimiterFactory;
}

export const DEFAULT_REGISTRATION_THROTTLE: Readonly<RegistrationThrottleOptions> = Object.freeze({ maxRegistrations: 20, windowSeconds: 3600 });
const MIN_INITIAL_ACCESS_TOKEN_LENGTH = 32;
const FIELD = 'dynamicRegistration';

/** The built-in `'public-clients'` policy: RFC 7591 §3 open registration, of public clients only. */
const publicClientsOnly: RegistrationPolicy = ({ metadata }) =>
  metadata.token_endpoint_auth_method === 'none'
    ? { accept: true }
    : {
        accept: false,
        error: 'invalid_client_metadata',
        description: 'this server registers public clients only: token_endpoint_auth_method must be none',
      };

const acceptAll: RegistrationPolicy = () => ({ accept: true });

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ValidationError(field, `must be a whole number between ${min} and ${max}`);
  }
  return value as number;
}

function resolveInitialAccessTokens(value: unknown): string[] {
  if (value === undefined) return [];
  const tokens = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(tokens) || tokens.length === 0) {
    throw new ValidationError(`${FIELD}.initialAccessToken`, 'must be a string or a non-empty array of strings');
  }
  return tokens.map((token, index) => {
    if (typeof token !== 'string' || token.length < MIN_INITIAL_ACCESS_TOKEN_LENGTH || token.length > 512 || !/^[\x21-\x7E]+$/.test(token)) {
      throw new ValidationError(
        `${FIELD}.initialAccessToken${typeof value === 'string' ? '' : `[${index}]`}`,
        `must be ${MIN_INITIAL_ACCESS_TOKEN_LENGTH}–512 printable ASCII characters without spaces (e.g. 32 random bytes, base64url)`,
      );
    }
    return digestCredential(token);
  });
}

function resolveThrottle(value: unknown): RegistrationThrottleOptions | false {
  if (value === undefined) return { ...DEFAULT_REGISTRATION_THROTTLE };
  if (value === false) return false;
  if (typeof value !== 'object' || value === null) throw new ValidationError(`${FIELD}.throttle`, 'must be { maxRegistrations, windowSeconds } or false');
  const given = value as Partial<RegistrationThrottleOptions>;
  return {
    maxRegistrations: wholeNumber(`${FIELD}.throttle.maxRegistrations`, given.maxRegistrations, 1, 10_000),
    windowSeconds: wholeNumber(`${FIELD}.throttle.windowSeconds`, given.windowSeconds, 1, 86_400),
  };
}

function resolveScopes(value: unknown): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length > 200) throw new ValidationError(`${FIELD}.scopes`, 'must be an array of at most 200 scope names');
  value.forEach((scope, index) => {
    if (!isScopeToken(scope)) throw new ValidationError(`${FIELD}.scopes[${index}]`, 'must be a scope-token (RFC 6749 §3.3)');
  });
  return [...new Set(value as string[])];
}

/**
 * Checks the `dynamicRegistration` option; null when absent (registration off). Throws
 * {@link ValidationError} naming the first field refused.
 */
export function resolveDynamicRegistration(
  value: DynamicRegistrationOptions | undefined,
  store: ResolvedDynamicRegistration['store'],
): ResolvedDynamicRegistration | null {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null) throw new ValidationError(FIELD, 'must be an object ({ policy, … })');
  const digests = resolveInitialAccessTokens(value.initialAccessToken);
  let policy: RegistrationPolicy;
  if (value.policy === 'public-clients') policy = publicClientsOnly;
  else if (value.policy === 'initial-access-token') {
    if (digests.length === 0) throw new ValidationError(`${FIELD}.initialAccessToken`, "is required by the 'initial-access-token' policy");
    policy = acceptAll;
  } else if (typeof value.policy === 'function') policy = checkedPolicy(value.policy);
  else throw new ValidationError(`${FIELD}.policy`, "must be 'public-clients', 'initial-access-token' or a function");
  return {
    policy,
    initialAccessTokenDigests: digests,
    throttle: resolveThrottle(value.throttle),
    scopes: resolveScopes(value.scopes),
    store,
  };
}

/** An application's policy, its answer checked so that a wrong one fails loudly instead of admitting a client. */
function checkedPolicy(policy: RegistrationPolicy): RegistrationPolicy {
  return async (facts) => {
    const decision: unknown = await policy(facts);
    if (typeof decision !== 'object' || decision === null || typeof (decision as { accept?: unknown }).accept !== 'boolean') {
      throw new TypeError('the dynamicRegistration policy must return { accept: true, scope? } or { accept: false, error?, description? }');
    }
    const { accept, error, scope, description } = decision as Record<string, unknown>;
    if (accept === false && error !== undefined && !REGISTRATION_ERROR_CODES.includes(error as RegistrationErrorCode)) {
      throw new TypeError(`the dynamicRegistration policy refused with ${JSON.stringify(error)}, which is none of ${REGISTRATION_ERROR_CODES.join(', ')}`);
    }
    if (description !== undefined && typeof description !== 'string') throw new TypeError('the dynamicRegistration policy gave a description that is not a string');
    if (accept === true && scope !== undefined && (!Array.isArray(scope) || !scope.every((item) => typeof item === 'string'))) {
      throw new TypeError('the dynamicRegistration policy gave a scope that is not an array of strings');
    }
    return decision as RegistrationDecision;
  };
}
