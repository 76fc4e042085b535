import { sourceKeyOf } from '../runtime/attempt-source.js';
import { randomBytes } from 'node:crypto';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { attemptLimiter, countForSource } from '../runtime/attempt-throttle.js';
import type { StorageStack } from '../runtime/storage-stack.js';
import type { OAuthClientRegistrationStorage } from '../storage/client-registration-port.js';
import type { ClientRecord, ClientRegistrationRecord, GrantType } from '../storage/records.js';
import { UnknownScopeError } from '../storage/storage-errors.js';
import { DYNAMIC_CLIENT_ID_PREFIX, selfRegisteredClientSettings } from './client-use.js';
import type { RegistrationRequestFacts, ResolvedDynamicRegistration } from './dynamic-registration-options.js';
import { isClientId } from './input-limits.js';
import { digestCredential, digestsEqual, generateCredential } from './opaque-credentials.js';
import { RegistrationError } from './registration-error.js';
import { RegistrationUnauthorizedError, TooManyRegistrationsError } from './registration-errors.js';
import { metadataScopes, validateClientMetadata, type ClientMetadata } from './registration-metadata.js';
import { openIdClientFields, type OpenIdRegistrationSettings } from './openid-registration-metadata.js';

/** Random bytes of a generated client id: 144 bits, beyond guessing (RFC 7591 §3.2.1 asks for uniqueness only). */
const CLIENT_ID_BYTES = 18;

/** What a registration request brings besides its body. */
export interface RegistrationRequestContext {
  /** The Bearer token of the request's `Authorization` header, or null when it has none. */
  bearer: string | null;
  /** The request's source address, for the policy; the throttle reads the current source itself. */
  sourceAddress: string | null;
  /** The client configuration endpoint of a client (RFC 7592 §1): its `registration_client_uri`. */
  clientUri(clientId: string): string;
}

/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3): the client's id and
 * registration instant, its secret once, the registration access token and its management URL,
 * and every registered metadata field.
 */
export type ClientInformation = Record<string, unknown>;

/** An authenticated management request: the client and its registration. */
interface Managed {
  client: ClientRecord;
  registration: ClientRegistrationRecord;
  metadata: ClientMetadata;
}

/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592), framework-free. Clients
 * are ordinary clients (`insertClient`) with a registration beside them (the client-registration
 * port, kind `dynamic`); ids begin with {@link DYNAMIC_CLIENT_ID_PREFIX}. Secrets and registration
 * access tokens are 256-bit random values stored as SHA-256 digests, shown once, compared in
 * constant time (docs/adr/0002).
 *
 * Failures are thrown: {@link RegistrationError} (400, RFC 7591 §3.2.2),
 * {@link RegistrationUnauthorizedError} (401), {@link TooManyRegistrationsError} (429).
 */
export class DynamicClientRegistrar {
  readonly #registrations: OAuthClientRegistrationStorage;
  readonly #limiter: RateLimiterAbstract | null;

  constructor(
    private readonly storage: StorageStack,
    private readonly options: ResolvedDynamicRegistration,
    private readonly now: () => Date,
    /** The provider's OpenID Connect settings; null: it is no OpenID provider. */
    private readonly openid: OpenIdRegistrationSettings | null = null,
  ) {
    if (storage.registrations === null) {
      throw new TypeError(
        'dynamicRegistration needs a storage with the client-registration port (OAuthClientRegistrationStorage, docs/contract.md); this one has none',
      );
    }
    this.#registrations = storage.registrations;
    const { throttle } = options;
    this.#limiter =
      throttle === false
        ? null
        : attemptLimiter(options.store, storage.attemptCounters, {
            keyPrefix: 'oauth2kit:source-registration',
            points: throttle.maxRegistrations,
            duration: throttle.windowSeconds,
          });
  }

  /** RFC 7591 §3.1: registers a client; the answer carries its secret and registration access token, once. */
  async register(body: Record<string, unknown>, context: RegistrationRequestContext): Promise<ClientInformation> {
    await this.#countRegistration(context);
    this.#checkInitialAccessToken(context.bearer);
    const validated = validateClientMetadata(body, await this.#allowedScopes(), this.openid);
    const metadata = await this.#decide(validated.metadata, validated.softwareStatement, null, context);
    const clientId = `${DYNAMIC_CLIENT_ID_PREFIX}${randomBytes(CLIENT_ID_BYTES).toString('base64url')}`;
    const clientSecret = metadata.token_endpoint_auth_method === 'none' ? null : generateCredential();
    const accessToken = generateCredential();
    const now = this.now();
    const client: ClientRecord = {
      id: clientId,
      ...clientFields(clientId, metadata, validated.scopeNamed, this.openid),
      secretHash: clientSecret === null ? null : digestCredential(clientSecret),
      ...selfRegisteredClientSettings(now),
    };
    await asMetadataError(this.storage.management.insertClient(client));
    const registration: ClientRegistrationRecord = {
      clientId,
      kind: 'dynamic',
      accessTokenHash: digestCredential(accessToken),
      metadata: JSON.stringify(metadata),
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.#registrations.saveClientRegistration(registration);
    } catch (error) {
      // A client without its registration could be neither managed nor purged: it goes too.
      await this.storage.management.deleteClient(clientId).catch(() => undefined);
      throw error;
    }
    return information(clientId, registration, metadata, accessToken, context, clientSecret);
  }

  /**
   * RFC 7592 §2.1: the client's current registration. Its registration access token is replaced
   * by the one in the answer (§3 allows it; the server keeps only digests, so it can hand out no
   * other), and the secret, which only its digest keeps, is not repeated.
   */
  async read(clientId: string, context: RegistrationRequestContext): Promise<ClientInformation> {
    const managed = await this.#authenticate(clientId, context.bearer);
    const { registration, accessToken } = await this.#rotate(managed.registration, managed.metadata);
    return information(clientId, registration, managed.metadata, accessToken, context, null);
  }

  /**
   * RFC 7592 §2.2: replaces the client's metadata with the request's (omitted fields are removed or
   * defaulted). `client_id` must be the client's; a `client_secret`, when sent, must be its
   * current one, and cannot be changed; nor can the client turn public or confidential.
   */
  async update(clientId: string, body: Record<string, unknown>, context: RegistrationRequestContext): Promise<ClientInformation> {
    const managed = await this.#authenticate(clientId, context.bearer);
    if (body['client_id'] !== clientId) {
      throw new RegistrationError('invalid_client_metadata', "client_id must be sent, and be this client's (RFC 7592 section 2.2)");
    }
    const presentedSecret = body['client_secret'];
    if (presentedSecret !== undefined && !secretMatches(managed.client.secretHash, presentedSecret)) {
      throw new RegistrationError('invalid_client_metadata', "client_secret must be the client's current secret: a client cannot choose its own (RFC 7592 section 2.2)");
    }
    const validated = validateClientMetadata(body, await this.#allowedScopes(), this.openid);
    const wasPublic = managed.metadata.token_endpoint_auth_method === 'none';
    if ((validated.metadata.token_endpoint_auth_method === 'none') !== wasPublic) {
      throw new RegistrationError(
        'invalid_client_metadata',
        `token_endpoint_auth_method cannot turn a ${wasPublic ? 'public' : 'confidential'} client ${wasPublic ? 'confidential' : 'public'}: register a new client`,
      );
    }
    const metadata = await this.#decide(validated.metadata, validated.softwareStatement, clientId, context);
    const fields = clientFields(clientId, metadata, validated.scopeNamed, this.openid);
    const updated = await asMetadataError(this.storage.management.updateClient(clientId, fields, this.now()));
    if (updated === null) throw unauthorized(true);
    const { registration, accessToken } = await this.#rotate(managed.registration, metadata);
    return information(clientId, registration, metadata, accessToken, context, null);
  }

  /** RFC 7592 §2.3: deletes the client with its registration, tokens and codes. */
  async delete(clientId: string, context: RegistrationRequestContext): Promise<void> {
    await this.#authenticate(clientId, context.bearer);
    if (!(await this.storage.management.deleteClient(clientId))) throw unauthorized(true);
  }

  /** Counts one registration against the request's source; past the limit, refuses it. */
  async #countRegistration(context: RegistrationRequestContext): Promise<void> {
    if (this.#limiter === null) return;
    const retryAfter = await countForSource(this.#limiter, sourceKeyOf(context.sourceAddress));
    if (retryAfter > 0) throw new TooManyRegistrationsError(retryAfter);
  }

  /** RFC 7591 §3: with initial access tokens configured, one must be presented as a Bearer token. */
  #checkInitialAccessToken(bearer: string | null): void {
    const digests = this.options.initialAccessTokenDigests;
    if (digests.length === 0) return;
    if (bearer === null) throw new RegistrationUnauthorizedError(false, 'this server registers clients that present an initial access token only');
    const presented = digestCredential(bearer);
    // Every configured token is compared, so that which one matched takes no time to tell.
    const matches = digests.map((digest) => digestsEqual(digest, presented));
    if (!matches.includes(true)) throw new RegistrationUnauthorizedError(true, 'the initial access token is not valid');
  }

  /** What a self-registered client may be granted: the configured scopes still in the catalogue, or all of it. */
  async #allowedScopes(): Promise<string[]> {
    const catalogue = (await this.storage.management.listScopes()).map((scope) => scope.name);
    return this.options.scopes === null ? catalogue : this.options.scopes.filter((scope) => catalogue.includes(scope));
  }

  /** Runs the policy: a refusal becomes an RFC 7591 §3.2.2 error; an acceptance may narrow the scope. */
  async #decide(
    metadata: ClientMetadata,
    softwareStatement: string | null,
    clientId: string | null,
    context: RegistrationRequestContext,
  ): Promise<ClientMetadata> {
    const facts: RegistrationRequestFacts = {
      operation: clientId === null ? 'register' : 'update',
      clientId,
      metadata: structuredClone(metadata),
      sourceAddress: context.sourceAddress,
      softwareStatement,
    };
    const decision = await this.options.policy(facts);
    if (!decision.accept) {
      throw new RegistrationError(decision.error ?? 'invalid_client_metadata', decision.description ?? 'the registration was refused by this server');
    }
    if (decision.scope === undefined) return metadata;
    const narrowed = metadataScopes(metadata).filter((scope) => decision.scope!.includes(scope));
    return { ...metadata, scope: narrowed.join(' ') };
  }

  /**
   * The client and registration `bearer` is the registration access token of (RFC 7592 §3), or a
   * 401 that says nothing of whether the client exists (§2.1: an unknown client is answered as a
   * wrong token).
   */
  async #authenticate(clientId: string, bearer: string | null): Promise<Managed> {
    if (bearer === null) throw unauthorized(false);
    const presented = digestCredential(bearer);
    if (!isClientId(clientId) || !clientId.startsWith(DYNAMIC_CLIENT_ID_PREFIX)) throw unauthorized(true);
    const [registration, client] = await Promise.all([
      this.#registrations.findClientRegistration(clientId),
      this.storage.runtime.findClient(clientId),
    ]);
    const expected = registration?.kind === 'dynamic' ? registration.accessTokenHash : null;
    if (registration === null || client === null || expected === null || !digestsEqual(expected, presented)) throw unauthorized(true);
    return { client, registration, metadata: JSON.parse(registration.metadata) as ClientMetadata };
  }

  /** Stores `metadata` with a new registration access token, returned in clear this once. */
  async #rotate(current: ClientRegistrationRecord, metadata: ClientMetadata): Promise<{ registration: ClientRegistrationRecord; accessToken: string }> {
    const accessToken = generateCredential();
    const registration: ClientRegistrationRecord = {
      ...current,
      accessTokenHash: digestCredential(accessToken),
      metadata: JSON.stringify(metadata),
      updatedAt: this.now(),
    };
    await this.#registrations.saveClientRegistration(registration);
    return { registration, accessToken };
  }
}

function unauthorized(presented: boolean): RegistrationUnauthorizedError {
  return new RegistrationUnauthorizedError(
    presented,
    presented ? 'the registration access token is not valid for this client' : 'a registration access token is required',
  );
}

/**
 * The fields of a client record that its metadata decides. The scope a request named (RFC 7591 §2
 * `scope`: the client's scope), as the policy left it, is also the client's default scope, granted
 * to a request that names none (RFC 6749 §3.3); a client that named no scope gets no default, so
 * that every scope offered is not granted to a request that asks for nothing. The OpenID Connect
 * fields are written on every update too, so that a field the new metadata omits goes back to its
 * default (RFC 7592 §2.2).
 */
function clientFields(
  clientId: string,
  metadata: ClientMetadata,
  scopeNamed: boolean,
  openid: OpenIdRegistrationSettings | null,
): Pick<
  ClientRecord,
  'name' | 'grants' | 'redirectUris' | 'scopes' | 'defaultScopes' | 'postLogoutRedirectUris' | 'idTokenSignedResponseAlg' | 'subjectType' | 'sectorIdentifier'
> {
  const scopes = metadataScopes(metadata);
  return {
    ...openIdClientFields(metadata, openid),
    // The consent page shows a name: the client's own, or its id when it gave none.
    name: metadata.client_name ?? clientId,
    grants: metadata.grant_types as GrantType[],
    redirectUris: [...metadata.redirect_uris],
    scopes,
    defaultScopes: scopeNamed ? [...scopes] : [],
  };
}

/** A scope deleted from the catalogue while the client registered is a scope it cannot have. */
async function asMetadataError<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof UnknownScopeError) {
      throw new RegistrationError('invalid_client_metadata', `scope ${error.scopes.join(' ')} is not offered to self-registered clients`);
    }
    throw error;
  }
}

function secretMatches(secretHash: string | null, presented: unknown): boolean {
  return secretHash !== null && typeof presented === 'string' && presented.length <= 512 && digestsEqual(secretHash, digestCredential(presented));
}

/** The client information response (RFC 7591 §3.2.1, RFC 7592 §3). */
function information(
  clientId: string,
  registration: ClientRegistrationRecord,
  metadata: ClientMetadata,
  accessToken: string,
  context: RegistrationRequestContext,
  clientSecret: string | null,
): ClientInformation {
  const confidential = metadata.token_endpoint_auth_method !== 'none';
  return {
    client_id: clientId,
    ...(clientSecret === null ? {} : { client_secret: clientSecret }),
    client_id_issued_at: Math.floor(registration.createdAt.getTime() / 1000),
    // The secret does not expire (RFC 7591 §3.2.1: 0).
    ...(confidential ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: accessToken,
    registration_client_uri: context.clientUri(clientId),
    ...metadata,
  };
}
