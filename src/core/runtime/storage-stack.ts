import { ATTEMPT_COUNTER_METHODS, type OAuthAttemptCounterStorage } from '../storage/attempt-counter-port.js';
import { CLIENT_REGISTRATION_METHODS, type OAuthClientRegistrationStorage } from '../storage/client-registration-port.js';
import { KEY_CHECKS } from '../storage/key-checks.js';
import { MANAGEMENT_METHODS, type OAuthManagementStorage } from '../storage/management-port.js';
import type { ClientRecord, TokenLookup, TokenRecord } from '../storage/records.js';
import {
  MAX_ACCESS_TOKEN_BATCH,
  MAX_REFRESH_TOKEN_BATCH,
  MAX_TOKEN_INSERT_BATCH,
  MAX_TOKEN_ROTATION_BATCH,
  RUNTIME_METHODS,
  type OAuthRuntimeStorage,
  type TokenRotation,
} from '../storage/runtime-port.js';
import { RESOURCE_METHODS, type OAuthResourceStorage } from '../storage/resource-port.js';
import { SIGNING_KEY_METHODS, type OAuthSigningKeyStorage } from '../storage/signing-key-port.js';
import { CONSENT_GRANT_METHODS, type OAuthConsentGrantStorage } from '../storage/consent-grant-port.js';
import { SESSION_METHODS, type OAuthSessionStorage } from '../storage/session-port.js';
import { isStorableKey } from '../storage/storage-keys.js';
import { hasAttemptCounters, hasClientRegistrations, hasConsentGrants, hasResources, hasSessions, hasSigningKeys, hasUserStore, type OAuthConnectionCheck, type OAuthStorage } from '../storage/storage-port.js';
import { USER_STORE_METHODS, type OAuthUserStorage } from '../storage/user-store-port.js';
import { INVALIDATIONS } from './cache-invalidation.js';
import { Coalescer } from './coalescer.js';
import { containedFailure } from './failure-containment.js';
import { frozenClient, type ReadCaches } from './read-caches.js';
import { withDeadline } from './storage-deadline.js';
import { classifyStorageFailure } from './storage-failure.js';

/**
 * Batches of one kind (lookups, client reads, inserts) out at once. Two keep the database busy
 * while the server prepares the next batch, and keep batches large enough to pay off
 * (docs/benchmarks.md).
 */
const BATCHES_IN_FLIGHT = 2;
/**
 * How long refreshes of cached lookups gather before they go out as one read. Nobody waits on
 * them (the entry they refresh is served meanwhile, and has half its age left), so with many
 * tokens in use a few batched reads a second replace one read per token per half age.
 */
const REFRESH_WINDOW_MS = 25;
/** Clients read together at most; they are read one at a time, in parallel (no batch method). */
const MAX_CLIENT_BATCH = 32;

/** How the stack wraps a provider's storage. */
export interface StorageStackOptions {
  /** Bound on one storage call in ms; 0 for none. */
  timeoutMs: number;
  /** The read caches whose entries the port's writes invalidate. */
  caches: ReadCaches;
  /** Told of every invalidation made here, to tell the other processes (invalidation-relay.ts). */
  onInvalidated?: (method: keyof OAuthStorage, args: readonly unknown[]) => void;
}

/**
 * The storage as the core uses it: the one place where the storage port is wrapped. Every port
 * call goes, in this order, through
 *
 * 1. the key checks (storage/key-checks.ts): a key no row can hold is answered "not found" here;
 * 2. the deadline (`storageTimeout`): a call that does not settle in time fails;
 * 3. failure containment: driver errors become `StorageUnavailableError` (503), the port's typed
 *    errors pass;
 * 4. cache invalidation: once a write settles, what it made stale leaves the read caches;
 *
 * and five calls are coalesced on top (ADR 0005): access- and refresh-token lookups, token inserts
 * and refresh-token rotations of requests waiting at the same moment go out as one batch call, and
 * concurrent reads of one client share one read.
 */
export class StorageStack {
  /** The runtime port, wrapped. */
  readonly runtime: OAuthRuntimeStorage;
  /** The management port, wrapped. */
  readonly management: OAuthManagementStorage;
  /** The user-store port, wrapped, or null when the storage has none. */
  readonly users: OAuthUserStorage | null;
  /** The attempt-counter port, wrapped, or null when the storage has none. */
  readonly attemptCounters: OAuthAttemptCounterStorage | null;
  /** The resource port, wrapped, or null when the storage has none (no resource is registered then). */
  readonly resources: OAuthResourceStorage | null;
  /**
   * The client-registration port, wrapped, or null when the storage has none (no client can then
   * register itself or be known by its metadata document).
   */
  readonly registrations: OAuthClientRegistrationStorage | null;
  /** The storage's connection check, wrapped, or null when it has none (only `provider.check()` calls it). */
  readonly connectionCheck: OAuthConnectionCheck | null;
  /** The signing-key port, wrapped, or null when the storage has none (no JWT access token can be issued then). */
  readonly signingKeys: OAuthSigningKeyStorage | null;
  /** The session port, wrapped, or null when the storage has none (no sign-in session is kept then). */
  readonly sessions: OAuthSessionStorage | null;
  /** The consent-grant port, wrapped, or null when the storage has none (consent is asked every time then). */
  readonly consentGrants: OAuthConsentGrantStorage | null;

  readonly #accessTokens: Coalescer<string, TokenLookup | null>;
  readonly #accessTokenRefreshes: Coalescer<string, TokenLookup | null>;
  readonly #refreshTokens: Coalescer<string, TokenLookup | null>;
  readonly #clients: Coalescer<string, ClientRecord | null>;
  readonly #tokenInserts: Coalescer<TokenRecord, unknown>;
  readonly #rotations: Coalescer<TokenRotation, RotationOutcome>;
  readonly #options: StorageStackOptions;

  constructor(port: OAuthStorage, options: StorageStackOptions) {
    this.#options = options;
    // `rotateTokens` is optional: wrapped when the storage has it, absent (so the core inserts then claims) when not.
    const runtimeMethods = typeof port.rotateTokens === 'function' ? [...RUNTIME_METHODS, 'rotateTokens' as const] : RUNTIME_METHODS;
    this.runtime = wrap<OAuthRuntimeStorage>(port, runtimeMethods, options);
    this.management = wrap<OAuthManagementStorage>(port, MANAGEMENT_METHODS, options);
    this.users = hasUserStore(port) ? wrap<OAuthUserStorage>(port, USER_STORE_METHODS, options) : null;
    this.attemptCounters = hasAttemptCounters(port)
      ? wrap<OAuthAttemptCounterStorage>(port, ATTEMPT_COUNTER_METHODS, options)
      : null;
    this.resources = hasResources(port) ? wrap<OAuthResourceStorage>(port, RESOURCE_METHODS, options) : null;
    this.registrations = hasClientRegistrations(port)
      ? wrap<OAuthClientRegistrationStorage>(port, CLIENT_REGISTRATION_METHODS, options)
      : null;
    this.connectionCheck =
      typeof port.checkConnection === 'function' ? wrap<OAuthConnectionCheck>(port, ['checkConnection'], options) : null;
    this.signingKeys = hasSigningKeys(port) ? wrap<OAuthSigningKeyStorage>(port, SIGNING_KEY_METHODS, options) : null;
    this.sessions = hasSessions(port) ? wrap<OAuthSessionStorage>(port, SESSION_METHODS, options) : null;
    this.consentGrants = hasConsentGrants(port) ? wrap<OAuthConsentGrantStorage>(port, CONSENT_GRANT_METHODS, options) : null;
    const batches = { maxInFlight: BATCHES_IN_FLIGHT };
    this.#accessTokens = new Coalescer((digests) => this.#lookUp(digests), { ...batches, maxBatch: MAX_ACCESS_TOKEN_BATCH });
    this.#accessTokenRefreshes = new Coalescer((digests) => this.#lookUp(digests), {
      maxInFlight: 1,
      maxBatch: MAX_ACCESS_TOKEN_BATCH,
      windowMs: REFRESH_WINDOW_MS,
    });
    this.#refreshTokens = new Coalescer(
      (digests) => this.#lookUpBy(digests, (rows) => this.runtime.findRefreshTokens(rows), (row) => row.refreshTokenHash),
      { ...batches, maxBatch: MAX_REFRESH_TOKEN_BATCH },
    );
    // Requests waiting for one client share the record, so it is frozen, as a cached one is.
    this.#clients = new Coalescer(
      (ids) => Promise.all(ids.map(async (id) => frozenOrNull(await this.runtime.findClient(id)))),
      { ...batches, maxBatch: MAX_CLIENT_BATCH },
    );
    this.#tokenInserts = new Coalescer((tokens) => this.#insert(tokens), { ...batches, maxBatch: MAX_TOKEN_INSERT_BATCH });
    this.#rotations = new Coalescer((rotations) => this.#rotate(rotations), { ...batches, maxBatch: MAX_TOKEN_ROTATION_BATCH });
  }

  /** Whether the storage rotates refresh tokens itself ({@link rotateToken}); if not, the core inserts, then claims. */
  get rotatesTokens(): boolean {
    return this.runtime.rotateTokens !== undefined;
  }

  /**
   * One refresh-token rotation through the storage's `rotateTokens`, in a batch with the
   * rotations waiting at the same moment: true when the old issuance was claimed and its successor
   * stored. Only when {@link rotatesTokens}.
   */
  async rotateToken(rotation: TokenRotation): Promise<boolean> {
    const outcome = await this.#rotations.submit(rotation);
    if (typeof outcome !== 'boolean') throw outcome.failure;
    return outcome;
  }

  /**
   * One access token's row by digest, read in a batch with the lookups waiting at the same moment.
   * The row is the caller's own copy as far as anything handed on to applications goes.
   */
  async findAccessToken(digest: string): Promise<TokenLookup | null> {
    // Requests presenting one token at the same moment share the row read for it.
    const shared = await this.#accessTokens.submit(digest, digest);
    return shared && withOwnExpiry(shared);
  }

  /**
   * {@link findAccessToken} for a read ahead of need (a cache entry's refresh), which nobody waits
   * on: gathered with the other refreshes of the next {@link REFRESH_WINDOW_MS} into one read.
   */
  async refreshAccessToken(digest: string): Promise<TokenLookup | null> {
    const shared = await this.#accessTokenRefreshes.submit(digest, digest);
    return shared && withOwnExpiry(shared);
  }

  /** A client for authentication, shared (frozen) with the requests reading it at the same moment. */
  findClientShared(id: string): Promise<ClientRecord | null> {
    return this.#clients.submit(id, id);
  }

  /** Stores one issuance, in a batch with the issuances waiting at the same moment. */
  async insertToken(token: TokenRecord): Promise<void> {
    const failure = await this.#tokenInserts.submit(token);
    if (failure !== undefined) throw failure;
  }

  /**
   * The issuance a refresh-token digest belongs to, read in a batch with the lookups waiting at the
   * same moment; the row is the caller's own copy.
   */
  async findRefreshToken(digest: string): Promise<TokenLookup | null> {
    const shared = await this.#refreshTokens.submit(digest, digest);
    return shared && withOwnExpiry(shared);
  }

  #lookUp(digests: string[]): Promise<Array<TokenLookup | null>> {
    return this.#lookUpBy(digests, (rows) => this.runtime.findAccessTokens(rows), (row) => row.accessTokenHash);
  }

  /** A batch lookup's rows, one per digest in order (null when none has it). */
  async #lookUpBy(
    digests: string[],
    find: (digests: string[]) => Promise<TokenLookup[]>,
    digestOf: (row: TokenLookup) => string | null,
  ): Promise<Array<TokenLookup | null>> {
    const found = new Map<string, TokenLookup>();
    for (const row of await find(digests)) {
      const digest = digestOf(row);
      if (digest !== null) found.set(digest, row);
    }
    return digests.map((digest) => found.get(digest) ?? null);
  }

  /**
   * Stores a batch of issuances; the output for each is undefined when it was stored, or the error
   * that kept it from being stored. A failed multi-row insert stored nothing (it is one statement),
   * so each token is then tried alone: one bad row fails only its own request.
   */
  async #insert(tokens: TokenRecord[]): Promise<unknown[]> {
    if (tokens.length > 1) {
      try {
        await this.runtime.insertTokens(tokens);
        return tokens.map(() => undefined);
      } catch {
        // Tried one by one below.
      }
    }
    const outcomes = await Promise.allSettled(tokens.map((token) => this.runtime.insertTokens([token])));
    return outcomes.map((outcome) => (outcome.status === 'fulfilled' ? undefined : outcome.reason ?? new Error('insertTokens failed')));
  }

  /**
   * Sends a batch of rotations. A call names each issuance once (the port's rule), in the order of
   * their ids, so that concurrent calls lock shared rows in one order. A second rotation of one
   * issuance is answered false once the first has settled (the row is claimed, or its claim was
   * refused: either way a claim now fails), without a call; it is sent only when the first failed,
   * so that a burst of one refresh token costs one statement, not one each. An id no row can hold
   * is answered false without a call, as a claim of it would be.
   */
  async #rotate(rotations: TokenRotation[]): Promise<RotationOutcome[]> {
    const outcomes: RotationOutcome[] = rotations.map(() => false);
    const first = new Map<string, number>();
    const repeated: number[] = [];
    rotations.forEach((rotation, i) => {
      if (!isStorableKey(rotation.rotates)) return;
      if (first.has(rotation.rotates)) repeated.push(i);
      else first.set(rotation.rotates, i);
    });
    const distinct = [...first.values()].sort((a, b) => (rotations[a]!.rotates < rotations[b]!.rotates ? -1 : 1));
    const sent = await this.#rotateDistinct(distinct.map((i) => rotations[i]!));
    distinct.forEach((i, k) => (outcomes[i] = sent[k]!));
    const again = repeated.filter((i) => typeof outcomes[first.get(rotations[i]!.rotates)!] !== 'boolean');
    if (again.length > 0) {
      const resent = await this.#rotate(again.map((i) => rotations[i]!));
      again.forEach((i, k) => (outcomes[i] = resent[k]!));
    }
    return outcomes;
  }

  /**
   * Rotations of distinct issuances in one call; if the database refused that call (it applied
   * nothing: one statement), each is sent alone, so that one bad row fails only its own request.
   * A call that timed out or lost its connection may still be running, and may yet commit: its
   * rotations fail (503) rather than be sent again beside it.
   */
  async #rotateDistinct(rotations: TokenRotation[]): Promise<RotationOutcome[]> {
    if (rotations.length === 0) return [];
    if (rotations.length > 1) {
      try {
        return await this.#rotateCall(rotations);
      } catch (error) {
        if (classifyStorageFailure(error).reason !== 'other') return rotations.map(() => ({ failure: error }));
        // Sent one by one below.
      }
    }
    const outcomes = await Promise.allSettled(rotations.map((rotation) => this.#rotateCall([rotation])));
    return outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value[0]! : { failure: outcome.reason }));
  }

  /** One `rotateTokens` call; once it settles, each issuance it may have claimed leaves the caches, as after `claimToken`. */
  async #rotateCall(rotations: TokenRotation[]): Promise<boolean[]> {
    try {
      const rotated = await this.runtime.rotateTokens!(rotations);
      if (rotated.length !== rotations.length) {
        throw new TypeError(`rotateTokens answered ${rotated.length} outcomes for ${rotations.length} rotations`);
      }
      return rotated.map((outcome) => outcome === true);
    } finally {
      const claimed = INVALIDATIONS.claimToken!;
      for (const { rotates } of rotations) {
        claimed(this.#options.caches, [rotates]);
        this.#options.onInvalidated?.('claimToken', [rotates]);
      }
    }
  }
}

/** What a rotation in a batch came to: claimed and stored (true), refused (false), or the failure that stopped it. */
type RotationOutcome = boolean | { failure: unknown };

/** A port's methods, each through the key checks, the deadline, containment and invalidation. */
function wrap<T extends object>(port: OAuthStorage, methods: ReadonlyArray<keyof OAuthStorage>, options: StorageStackOptions): T {
  const wrapped: Record<string, unknown> = {};
  for (const method of methods) {
    const member = port[method] as (...args: unknown[]) => Promise<unknown>;
    const check = KEY_CHECKS[method];
    const invalidate = INVALIDATIONS[method];
    wrapped[method] = async (...args: unknown[]) => {
      const checked = check === undefined ? { call: args } : check(args);
      if ('answer' in checked) return checked.answer;
      try {
        // Called on the storage itself: a storage class may keep its state in private fields.
        return await withDeadline(() => member.apply(port, checked.call), method, options.timeoutMs);
      } catch (error) {
        throw containedFailure(error);
      } finally {
        // After the write settles, successful or not (a failed call may still have committed).
        if (invalidate !== undefined) {
          invalidate(options.caches, checked.call);
          options.onInvalidated?.(method, checked.call);
        }
      }
    };
  }
  return wrapped as T;
}

function frozenOrNull(record: ClientRecord | null): ClientRecord | null {
  return record && frozenClient(record);
}

/**
 * A copy of a shared token row (cached, or read once for several requests) whose expiry instant,
 * the one handed on to applications (`ctx.state.oauth.token`), is its own: no caller can move it
 * under another.
 */
export function withOwnExpiry(row: TokenLookup): TokenLookup {
  return { ...row, accessTokenExpiresAt: new Date(row.accessTokenExpiresAt) };
}
