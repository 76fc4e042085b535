import { randomUUID } from 'node:crypto';
import type { Authentication, AuthorizationCodeRecord, ClientRecord, ResourceRecord, TokenLookup, TokenRecord } from '../storage/records.js';
import { AttemptThrottle, TooManyFailedAttemptsError, type ResolvedThrottle } from '../runtime/attempt-throttle.js';
import type { ReadCaches } from '../runtime/read-caches.js';
import { withOwnExpiry, type StorageStack } from '../runtime/storage-stack.js';
import { isClientIdUrlCandidate } from './client-metadata/client-id-url.js';
import { MetadataDocumentClients } from './client-metadata/metadata-document-clients.js';
import type { ClientMetadataSettings } from './client-metadata/metadata-document-options.js';
import { ClientUseRecorder } from './client-use.js';
import { DynamicClientRegistrar } from './dynamic-registrar.js';
import type { ResolvedDynamicRegistration } from './dynamic-registration-options.js';
import { addSeconds, type Lifetimes } from './lifetimes.js';
import { isBoundedString, isClientId, isStorableText, MAX_ACCESS_TOKEN_LENGTH, MAX_CREDENTIAL_LENGTH, MAX_USERNAME_LENGTH } from './input-limits.js';
import { digestCredential, digestsEqual, generateCredential } from './opaque-credentials.js';
import type { ScryptCost } from './password-hashing.js';
import { accessTokenLifetimeFor, formatAudience } from './resource-indicators.js';
import { formatScope } from './scope.js';
import { ConsentGrants } from './openid/consent-grants.js';
import type { OpenIdSettings } from './openid/openid-options.js';
import { SignInSessions } from './openid/sign-in-sessions.js';
import { openIdRegistrationSettings } from './openid-registration-metadata.js';
import { JwtAccessTokens } from './signing/jwt-access-tokens.js';
import { KeyRing } from './signing/key-ring.js';
import { withAlgorithms, type SigningSettings } from './signing/signing-options.js';

/** Resolved provider settings. */
export interface CredentialSettings {
  lifetimes: Lifetimes;
  /** The issuer, the operator keys and the JWT lifetime of JWT access tokens (RFC 9068). */
  signing: SigningSettings;
  now: () => Date;
  passwordCost: ScryptCost;
  /** Told about failures no answer carries (the `onError` provider option). */
  report: (error: unknown) => void;
  /** The opt-in read caches (`validatedTokenCache`, `clientCache` options); null members: none. */
  caches: ReadCaches;
  /** Throttling of failed client authentications and password logins (`throttle` option). */
  throttle: ResolvedThrottle;
  /** Whether the password grant is offered (`allowPasswordGrant` option, RFC 9700 §2.4). */
  allowPasswordGrant: boolean;
  /** Clients that register themselves (`dynamicRegistration` option, RFC 7591); null: off. */
  dynamicRegistration: ResolvedDynamicRegistration | null;
  /** Clients known by their metadata document (`clientMetadataDocuments` option); null: off. */
  clientMetadataDocuments: ClientMetadataSettings | null;
  /** OpenID Connect (`openid` option); null: off. */
  openid: OpenIdSettings | null;
}

/** What one issuance hands back: the only moment the plaintext tokens exist on the server. */
export interface IssuedTokens {
  id: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
  scope: string[];
}

/** What to issue. `familyId`/`authorizationCodeId` are carried over when a refresh token rotates. */
export interface IssueTokensInput {
  client: ClientRecord;
  userId: string | null;
  scope: readonly string[];
  /**
   * The access token to store, when the caller minted it (oauth2-server calls the model's
   * `generateAccessToken`, which mints with {@link generateCredential}); minted here otherwise.
   */
  accessToken?: string;
  /** Whether to issue a refresh token; a string is one the caller minted, as for `accessToken`. */
  refreshToken: boolean | string;
  familyId?: string;
  authorizationCodeId?: string | null;
  /**
   * The registered resources the access token is for (RFC 8707 §2), in the order requested: its
   * audience. The shortest of their access-token lifetimes and the client's applies. None: a
   * token asked for no resource (`audience` null).
   */
  resources?: readonly ResourceRecord[];
  /** The authentication the grant began with (OIDC Core §12.2), carried from the code through every rotation. */
  authentication?: Authentication;
}

/** What an authorization code records (RFC 6749 §4.1.2, RFC 7636 §4.4). */
export interface IssueCodeInput {
  client: ClientRecord;
  userId: string;
  /** The code to store, when the caller minted it; minted here otherwise. */
  code?: string;
  redirectUri: string | null;
  scope: readonly string[];
  /** The resources the authorization request named (RFC 8707 §2.1), in order; none: `audience` null. */
  audience?: readonly string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  /** The authorization request's `nonce` (OIDC Core §3.1.2.1), for the ID token. */
  nonce?: string | null;
  /** How and when the user signed in (OIDC Core §2), for the ID token. */
  authentication?: Authentication;
}

/**
 * The credential mechanics every endpoint shares: client authentication, password-login
 * throttling, and issuance and lookup of tokens and codes. Credentials are 256-bit random values
 * and exist in clear only in the response that hands them out; storage sees SHA-256 digests, and
 * digests are compared in constant time (docs/adr/0002).
 *
 * One per provider; the oauth2-server model, the protocol endpoints and the management API are
 * built on it. Not exported from the package.
 */
export class Credentials {
  /** The signing keys of JWT access tokens, or null when the storage has no signing-key port. */
  readonly keyRing: KeyRing | null;
  /** Mints the JWT access tokens of resources that ask for them. */
  readonly jwtAccessTokens: JwtAccessTokens;
  /** Failed-attempt counting and the bound on password checks in flight. */
  readonly throttle: AttemptThrottle;
  /** Dynamic client registration (RFC 7591, RFC 7592), or null when it is off. */
  readonly registrar: DynamicClientRegistrar | null;
  /** When self-registered clients were last issued a token (for purging unused ones). */
  readonly clientUse: ClientUseRecorder;
  /** Clients whose client_id is the URL of their metadata document, or null when that is off. */
  readonly metadataDocumentClients: MetadataDocumentClients | null;
  /** Browsers' sign-in sessions (OpenID Connect); none unless `openid` is on and the storage keeps them. */
  readonly sessions: SignInSessions;
  /** Remembered consent (OpenID Connect); none unless the storage keeps it. */
  readonly consentGrants: ConsentGrants;

  constructor(
    readonly storage: StorageStack,
    readonly settings: CredentialSettings,
  ) {
    const { signing } = settings;
    this.keyRing =
      storage.signingKeys === null
        ? null
        : new KeyRing(storage.signingKeys, {
            operatorKeys: signing.operatorKeys,
            algorithm: signing.algorithm,
            // OIDC Core §15.1: an OpenID provider signs ID tokens with RS256 for clients that ask.
            algorithms: settings.openid === null ? signing.algorithms : withAlgorithms(signing.algorithms, [settings.openid.idTokenSigningAlgorithm, 'RS256']),
            report: settings.report,
          });
    this.jwtAccessTokens = new JwtAccessTokens(this.keyRing, signing);
    this.throttle = new AttemptThrottle(settings.throttle, storage.attemptCounters ?? null);
    this.registrar = settings.dynamicRegistration ? new DynamicClientRegistrar(storage, settings.dynamicRegistration, () => this.now(), openIdRegistrationSettings(settings.openid, this.keyRing?.algorithms ?? null)) : null;
    this.clientUse = new ClientUseRecorder(storage.registrations, settings.report);
    this.sessions = new SignInSessions(settings.openid === null ? null : storage.sessions, settings.openid?.sessionLifetime ?? 0, () => this.now());
    this.consentGrants = new ConsentGrants(storage.consentGrants, storage.runtime, () => this.now());
    this.metadataDocumentClients =
      settings.clientMetadataDocuments === null
        ? null
        : new MetadataDocumentClients(storage, settings.clientMetadataDocuments, () => this.now(), (id) => this.#findClientToAuthenticate(id), openIdRegistrationSettings(settings.openid, this.keyRing?.algorithms ?? null));
  }

  now(): Date {
    return this.settings.now();
  }

  /** The client's lifetimes, falling back to the server defaults where it sets none. */
  lifetimesOf(client: ClientRecord): Lifetimes {
    const defaults = this.settings.lifetimes;
    return {
      accessTokenLifetime: client.accessTokenLifetime ?? defaults.accessTokenLifetime,
      refreshTokenLifetime: client.refreshTokenLifetime ?? defaults.refreshTokenLifetime,
      authorizationCodeLifetime: client.authorizationCodeLifetime ?? defaults.authorizationCodeLifetime,
    };
  }

  /**
   * Looks a client up and, depending on `secret`, authenticates it (docs/adr/0004):
   * - `null`: a lookup, not an authentication (the authorization endpoint). Never used on a path
   *   that issues tokens.
   * - `undefined` or `''`: no credential was presented. Public clients pass; confidential ones fail.
   * - a non-empty string: a presented secret. Confidential clients pass when it matches; public
   *   clients, which have no secret (RFC 6749 §2.1), fail.
   * Anything else (another type, an oversized string) fails.
   *
   * With `clientMetadataDocuments`, an id that is a URL names a public client's metadata document,
   * which is read (cached, else fetched); the client it describes is stored only when a code or a
   * token is issued to it ({@link issueAuthorizationCode}, {@link issueTokens}), so that looking
   * clients up writes nothing. A document that cannot be used throws `ClientMetadataError`, which
   * the endpoints answer `invalid_client`.
   *
   * `source` is the key of the request's source address (runtime/attempt-source.ts), null when
   * unknown: a wrong secret and a document fetch count against it.
   */
  async authenticateClient(id: unknown, secret: unknown, source: string | null): Promise<ClientRecord | null> {
    const documents = isClientIdUrlCandidate(id) ? this.metadataDocumentClients : null;
    if (typeof id !== 'string' || (documents === null && !isClientId(id))) return null;
    const presented = secret === undefined || secret === '' ? undefined : secret;
    if (presented !== undefined && presented !== null && !isBoundedString(presented, MAX_CREDENTIAL_LENGTH)) {
      return null;
    }
    // Such a client has no secret (draft-ietf-oauth-client-id-metadata-document-01 §4.1): one
    // presented fails it before anything is fetched.
    if (documents !== null && presented !== undefined && presented !== null) return null;
    const client = documents !== null ? await documents.resolve(id, source) : await this.#findClientToAuthenticate(id);
    if (!client) return null;
    if (presented === null) return client;
    if (client.secretHash === null) return presented === undefined ? client : null;
    if (presented === undefined) return null;
    if (digestsEqual(client.secretHash, digestCredential(presented))) return client;
    // Only a confidential client's wrong secret counts: that is the guess being throttled. A right
    // secret was accepted above whatever this source or others failed before: secrets are 256-bit
    // random values, so counting must not become a switch that turns a client off.
    const retryAfter = await this.throttle.clientFailed(id, source);
    if (retryAfter > 0) throw new TooManyFailedAttemptsError('client', retryAfter);
    return null;
  }

  /**
   * Runs a password check under the throttle (runtime/attempt-throttle.ts): refused unchecked with
   * {@link TooManyFailedAttemptsError} while `source` (the key of the request's source address,
   * null when unknown) is past its limits, delayed while the username fails from many sources,
   * bounded in flight (PasswordCheckBusyError); a null result counts as a failure. Every password
   * login of the provider goes through here exactly once.
   */
  async throttledLogin<T>(username: string, source: string | null, check: () => Promise<T | null>): Promise<T | null> {
    // A name no store could hold fails the check without a lookup; it must not become a key either.
    if (!isStorableText(username, MAX_USERNAME_LENGTH)) return check();
    // A flood is turned away before it costs a counter read.
    this.throttle.gate.assertRoom(source);
    await this.throttle.beforePasswordCheck(username, source);
    const user = await this.throttle.gate.run(source, check);
    if (user === null) await this.throttle.passwordFailed(username, source);
    else await this.throttle.passwordSucceeded(username, source);
    return user;
  }

  /**
   * The client, through the client cache when enabled. Only authentication reads through it; the
   * management API always reads storage.
   */
  async #findClientToAuthenticate(id: string): Promise<ClientRecord | null> {
    const cache = this.settings.caches.clients;
    if (!cache) return this.storage.findClientShared(id);
    const nowMs = this.now().getTime();
    const cached = cache.get(id, nowMs);
    if (cached !== undefined) return cached;
    const ticket = cache.ticket(nowMs);
    const client = await this.storage.findClientShared(id);
    if (client) cache.set(id, client, ticket);
    return client;
  }

  /**
   * Stores one issuance, stamped with the provider's clock and the client's lifetimes, the access
   * token's bounded by its resources'. When one of its resources asks for JWT access tokens, the
   * access token is a JWT (RFC 9068) whose `jti` is the issuance's id, living at most
   * `jwtAccessTokenLifetime`; any access token handed in is then not used. Either way only its
   * SHA-256 is stored, so that introspection, revocation and the guard find a JWT as any token.
   * A client known by its metadata document is written first if it is not yet stored as its
   * document has it.
   */
  async issueTokens(input: IssueTokensInput): Promise<IssuedTokens> {
    const issued = await this.#issue(input, async (record) => {
      await this.storage.insertToken(record);
      return true;
    });
    // Storing never answers "refused": it stores or throws.
    return issued!;
  }

  /**
   * Issues the successor of the refresh token of issuance `rotates` (RFC 6749 §6), as
   * {@link issueTokens} does, and claims `rotates`: null, with no usable successor stored, when the
   * claim fails (a concurrent refresh won, or the grant was revoked meanwhile). With a storage's
   * `rotateTokens`, one call (one statement on PostgreSQL, shared with the rotations waiting at the
   * same moment); otherwise the successor is stored first
   * and the old token claimed after, so that a revocation of the family racing the refresh cannot
   * miss the successor (docs/adr/0003).
   */
  async rotateTokens(input: IssueTokensInput, rotates: string): Promise<IssuedTokens | null> {
    const runtime = this.storage.runtime;
    return this.#issue(input, async (record, now) => {
      if (this.storage.rotatesTokens) return this.storage.rotateToken({ rotates, token: record, now });
      await this.storage.insertToken(record);
      if (await runtime.claimToken(rotates, now)) return true;
      await runtime.claimToken(record.id, now);
      return false;
    });
  }

  async #issue(input: IssueTokensInput, store: (record: TokenRecord, now: Date) => Promise<boolean>): Promise<IssuedTokens | null> {
    const now = this.now();
    const lifetimes = this.lifetimesOf(input.client);
    const resources = input.resources ?? [];
    const id = randomUUID();
    const lifetime = accessTokenLifetimeFor(lifetimes.accessTokenLifetime, resources);
    const { accessToken, accessTokenExpiresAt } = resources.some((resource) => resource.tokenFormat === 'jwt')
      ? await this.#mintJwt(id, input, resources, now, lifetime)
      : { accessToken: input.accessToken ?? generateCredential(), accessTokenExpiresAt: addSeconds(now, lifetime) };
    const refreshToken = typeof input.refreshToken === 'string' ? input.refreshToken : input.refreshToken ? generateCredential() : null;
    const refreshTokenExpiresAt = refreshToken ? addSeconds(now, lifetimes.refreshTokenLifetime) : null;
    await this.metadataDocumentClients?.store(input.client);
    const stored = await store(
      {
        id,
        accessTokenHash: digestCredential(accessToken),
        accessTokenExpiresAt,
        refreshTokenHash: refreshToken ? digestCredential(refreshToken) : null,
        refreshTokenExpiresAt,
        scope: formatScope(input.scope),
        audience: formatAudience(resources.map((resource) => resource.id)),
        clientId: input.client.id,
        userId: input.userId,
        familyId: input.familyId ?? randomUUID(),
        authorizationCodeId: input.authorizationCodeId ?? null,
        revokedAt: null,
        authTime: input.authentication?.authTime ?? null,
        acr: input.authentication?.acr ?? null,
        amr: input.authentication?.amr ?? null,
        expiresAt: refreshTokenExpiresAt && refreshTokenExpiresAt > accessTokenExpiresAt ? refreshTokenExpiresAt : accessTokenExpiresAt,
        createdAt: now,
      },
      now,
    );
    if (!stored) return null;
    await this.clientUse.tokenIssued(input.client.id, now);
    return { id, accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt, scope: [...input.scope] };
  }

  async #mintJwt(id: string, input: IssueTokensInput, resources: readonly ResourceRecord[], now: Date, lifetime: number) {
    const minted = await this.jwtAccessTokens.mint({
      issuanceId: id,
      clientId: input.client.id,
      userId: input.userId,
      scope: input.scope,
      resources,
      now,
      lifetime,
    });
    return { accessToken: minted.token, accessTokenExpiresAt: minted.expiresAt };
  }

  /** The issuance an access token belongs to (revoked and expired included), or null. One call. */
  async findAccessToken(token: unknown): Promise<TokenLookup | null> {
    if (!isBoundedString(token, MAX_ACCESS_TOKEN_LENGTH)) return null;
    const digest = digestCredential(token);
    const found = await this.storage.findAccessToken(digest);
    return found && digestsEqual(found.accessTokenHash, digest) ? found : null;
  }

  /**
   * For the guard (and only the guard): the issuance of an access token that is active now, or
   * null. Through the validated-token cache when enabled: a hit costs no storage call; a miss costs
   * one, and an active result is remembered. Revocations through this provider invalidate the cache
   * as they happen (runtime/cache-invalidation.ts); others are seen within its `maxAgeMs`.
   * Introspection and revocation keep reading storage ({@link findAccessToken}).
   */
  async findActiveAccessToken(token: unknown): Promise<TokenLookup | null> {
    const now = this.now();
    const cache = this.settings.caches.tokens;
    if (!cache) {
      const found = await this.findAccessToken(token);
      return found && isAccessTokenActive(found, now) ? found : null;
    }
    if (!isBoundedString(token, MAX_ACCESS_TOKEN_LENGTH)) return null;
    const digest = digestCredential(token);
    const found = await cache.through(digest, now.getTime(), () => this.#readToKeep(digest), activeAt(now), () => this.#refreshToKeep(digest));
    // Expiry is checked on every use; the copy keeps callers from moving the shared instant.
    return found && isAccessTokenActive(found, now) ? withOwnExpiry(found) : null;
  }

  /**
   * For the guard: the validated-token cache's answer for `token` that needs no waiting — the kept
   * issuance (the shared, frozen row: copy what you hand on), null when that issuance is no longer
   * active (expiry is checked on every use), undefined when storage must answer
   * ({@link findActiveAccessToken}): no cache, no live entry. An entry past half its age is
   * served and refreshed behind, as {@link findActiveAccessToken} would. A hit costs a digest and
   * a map lookup, and no promise of its own.
   */
  keptActiveAccessToken(token: string): TokenLookup | null | undefined {
    const cache = this.settings.caches.tokens;
    if (cache === null || token.length > MAX_ACCESS_TOKEN_LENGTH) return undefined;
    const now = this.now();
    const digest = digestCredential(token);
    const kept = cache.peekRefreshing(digest, now.getTime(), () => this.#refreshToKeep(digest), activeAt(now));
    if (kept === undefined) return undefined;
    return isAccessTokenActive(kept, now) ? kept : null;
  }

  /** The access token of `digest` read for the cache: found in a batch with the reads waiting now. */
  async #readToKeep(digest: string): Promise<TokenLookup | null> {
    return keptRow(digest, await this.storage.findAccessToken(digest));
  }

  /** {@link #readToKeep} for an entry served meanwhile: gathered with other such reads. */
  async #refreshToKeep(digest: string): Promise<TokenLookup | null> {
    return keptRow(digest, await this.storage.refreshAccessToken(digest));
  }

  /** The issuance a refresh token belongs to (revoked and expired included), or null. One call, shared with the lookups waiting at the same moment. */
  async findRefreshToken(token: unknown): Promise<TokenLookup | null> {
    if (!isBoundedString(token, MAX_CREDENTIAL_LENGTH)) return null;
    const digest = digestCredential(token);
    const found = await this.storage.findRefreshToken(digest);
    return found && found.refreshTokenHash !== null && digestsEqual(found.refreshTokenHash, digest) ? found : null;
  }

  /**
   * Stores an authorization code: one `insertAuthorizationCode`, after writing the client when it
   * is known by its metadata document and not yet stored as its document has it.
   */
  async issueAuthorizationCode(input: IssueCodeInput): Promise<{ code: string; record: AuthorizationCodeRecord }> {
    const now = this.now();
    const code = input.code ?? generateCredential();
    const record: AuthorizationCodeRecord = {
      id: randomUUID(),
      codeHash: digestCredential(code),
      clientId: input.client.id,
      userId: input.userId,
      redirectUri: input.redirectUri,
      scope: formatScope(input.scope),
      audience: formatAudience(input.audience ?? []),
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: input.codeChallengeMethod,
      nonce: input.nonce ?? null,
      authTime: input.authentication?.authTime ?? null,
      acr: input.authentication?.acr ?? null,
      amr: input.authentication?.amr ?? null,
      expiresAt: addSeconds(now, this.lifetimesOf(input.client).authorizationCodeLifetime),
      consumedAt: null,
      createdAt: now,
    };
    // The code refers to the client: one known by its metadata document is stored now, not before.
    await this.metadataDocumentClients?.store(input.client);
    await this.storage.runtime.insertAuthorizationCode(record);
    return { code, record };
  }

  /** The code's record (consumed and expired included), or null. One call. */
  async findAuthorizationCode(code: unknown): Promise<AuthorizationCodeRecord | null> {
    if (!isBoundedString(code, MAX_CREDENTIAL_LENGTH)) return null;
    const digest = digestCredential(code);
    const found = await this.storage.runtime.findAuthorizationCode(digest);
    return found && digestsEqual(found.codeHash, digest) ? found : null;
  }
}

/** Whether the access token of this issuance may still authenticate at `now`. */
export function isAccessTokenActive(token: TokenLookup, now: Date): boolean {
  return token.revokedAt === null && token.accessTokenExpiresAt > now;
}

/** Whether a row read at `now` may be kept in the token cache: its access token active then. */
function activeAt(now: Date): (row: TokenLookup) => boolean {
  return (row) => isAccessTokenActive(row, now);
}

/** A row read for the token cache, as it is kept: its own copy already, frozen since every hit shares it; null unless it is `digest`'s. */
function keptRow(digest: string, row: TokenLookup | null): TokenLookup | null {
  return row && digestsEqual(row.accessTokenHash, digest) ? Object.freeze(row) : null;
}

/** Whether the refresh token of this issuance may still be exchanged at `now`. */
export function isRefreshTokenActive(token: TokenLookup, now: Date): boolean {
  return token.revokedAt === null && token.refreshTokenExpiresAt !== null && token.refreshTokenExpiresAt > now;
}
