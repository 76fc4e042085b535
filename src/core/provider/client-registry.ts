import { randomUUID } from 'node:crypto';
import { assertClientCoherent, assertDefaultScopesAllowed, validateClientPatch, validateNewClient, type NewClientInput } from './client-input.js';
import { assertSubjectCoherent } from './client-openid-input.js';
import { effectiveDefaultScopes, toRegisteredClient, type RegisteredClient } from './client-views.js';
import { assertGrantsOffered } from './grant-policy.js';
import { ValidationError } from '../errors.js';
import { mayBeStoredClientId } from './client-metadata/client-id-url.js';
import { digestCredential, generateCredential } from './opaque-credentials.js';
import type { Credentials } from './credentials.js';
import type { ClientPatch } from '../storage/records.js';

/** A registration's result. The secret is shown this once; only its SHA-256 digest is stored. */
export interface CreatedClient {
  client: RegisteredClient;
  /** 256-bit random secret, base64url; null for a public client. */
  clientSecret: string | null;
}

/**
 * The management API for clients (`provider.clients`). Input is validated strictly: a refused
 * input throws {@link ValidationError}; scopes missing from the catalogue throw `UnknownScopeError`,
 * a taken id `DuplicateError`.
 */
export class ClientRegistry {
  /** @internal */
  constructor(private readonly credentials: Credentials) {}

  /**
   * Registers a client. Its secret (confidential clients only) is returned here and never again.
   * The `password` grant is refused unless the provider offers it (`allowPasswordGrant`), here and
   * in {@link update}.
   */
  async create(input: NewClientInput): Promise<CreatedClient> {
    const valid = validateNewClient(input);
    assertGrantsOffered(valid.grants, this.credentials.settings.allowPasswordGrant);
    this.#assertAlgorithmKept(valid.idTokenSignedResponseAlg);
    const clientSecret = valid.confidential ? generateCredential() : null;
    const now = this.credentials.now();
    const record = {
      id: valid.id ?? randomUUID(),
      name: valid.name,
      secretHash: clientSecret === null ? null : digestCredential(clientSecret),
      grants: valid.grants,
      redirectUris: valid.redirectUris,
      scopes: valid.scopes,
      accessTokenLifetime: valid.accessTokenLifetime,
      refreshTokenLifetime: valid.refreshTokenLifetime,
      authorizationCodeLifetime: valid.authorizationCodeLifetime,
      requirePkce: valid.requirePkce || !valid.confidential,
      allowPlainPkce: valid.allowPlainPkce,
      defaultScopes: valid.defaultScopes,
      allowIntrospection: valid.allowIntrospection,
      postLogoutRedirectUris: valid.postLogoutRedirectUris,
      idTokenSignedResponseAlg: valid.idTokenSignedResponseAlg,
      subjectType: valid.subjectType,
      sectorIdentifier: valid.sectorIdentifier,
      createdAt: now,
      updatedAt: now,
    };
    await this.credentials.storage.management.insertClient(record);
    return { client: toRegisteredClient(record), clientSecret };
  }

  /** All clients, ordered by id. */
  async list(): Promise<RegisteredClient[]> {
    return (await this.credentials.storage.management.listClients()).map(toRegisteredClient);
  }

  /** The client, or null when there is none with this id. */
  async get(id: string): Promise<RegisteredClient | null> {
    if (!mayBeStoredClientId(id)) return null;
    const record = await this.credentials.storage.runtime.findClient(id);
    return record ? toRegisteredClient(record) : null;
  }

  /**
   * Changes the given fields (lists are replaced whole); returns the updated client, or null when
   * there is none with this id. Confidentiality is fixed at registration. New `scopes` must keep
   * every default scope (`defaultScopes`, given in the same patch or kept): an update that would
   * drop one is refused with a {@link ValidationError} on `scopes`, never trimmed silently. A
   * pairwise client must keep one sector (OIDC Core §8.1): redirect URIs on several hosts without
   * a `sectorIdentifier` are refused on `sectorIdentifier`.
   */
  async update(id: string, patch: ClientPatch): Promise<RegisteredClient | null> {
    const valid = validateClientPatch(patch);
    if (valid.grants !== undefined) assertGrantsOffered(valid.grants, this.credentials.settings.allowPasswordGrant);
    if (valid.idTokenSignedResponseAlg !== undefined) this.#assertAlgorithmKept(valid.idTokenSignedResponseAlg);
    if (!mayBeStoredClientId(id)) return null;
    const current = await this.credentials.storage.runtime.findClient(id);
    if (!current) return null;
    const confidential = current.secretHash !== null;
    if (!confidential && valid.requirePkce === undefined) valid.requirePkce = true;
    assertClientCoherent({
      confidential,
      grants: valid.grants ?? current.grants,
      redirectUris: valid.redirectUris ?? current.redirectUris,
      requirePkce: valid.requirePkce ?? current.requirePkce,
    });
    // OIDC Core §8.1: new redirect URIs, subject type or sector must still name one sector.
    assertSubjectCoherent({
      id,
      subjectType: valid.subjectType ?? current.subjectType,
      sectorIdentifier: valid.sectorIdentifier !== undefined ? valid.sectorIdentifier : current.sectorIdentifier,
      redirectUris: valid.redirectUris ?? current.redirectUris,
    });
    // A default scope stays one the client may have: new scopes that drop one are refused.
    assertDefaultScopesAllowed(
      valid.scopes ?? current.scopes,
      valid.defaultScopes ?? effectiveDefaultScopes(current),
      valid.defaultScopes !== undefined ? 'defaultScopes' : 'scopes',
    );
    // Default scopes a storage kept of a scope deleted from the catalogue go with new scopes.
    const kept = effectiveDefaultScopes(current);
    if (valid.scopes !== undefined && valid.defaultScopes === undefined && kept.length !== current.defaultScopes.length) {
      valid.defaultScopes = kept;
    }
    const updated = await this.credentials.storage.management.updateClient(id, valid, this.credentials.now());
    return updated ? toRegisteredClient(updated) : null;
  }

  /**
   * Replaces a confidential client's secret; the old one stops working at once. Returns the new
   * secret (shown this once), or null when there is no such client.
   */
  async rotateSecret(id: string): Promise<{ clientSecret: string } | null> {
    if (!mayBeStoredClientId(id)) return null;
    const current = await this.credentials.storage.runtime.findClient(id);
    if (!current) return null;
    if (current.secretHash === null) throw new ValidationError('id', 'a public client has no secret to rotate');
    const clientSecret = generateCredential();
    const changed = await this.credentials.storage.management.setClientSecretHash(id, digestCredential(clientSecret), this.credentials.now());
    return changed ? { clientSecret } : null;
  }

  /**
   * OIDC Registration §2: an OpenID provider signs a client's ID tokens with the algorithm it
   * registered, so one the provider keeps no keys for would fail every issuance; refused now. A
   * provider without the openid option (the CLI's) cannot tell, and takes any the kit signs with.
   */
  #assertAlgorithmKept(alg: string | null): void {
    const ring = this.credentials.keyRing;
    if (alg === null || this.credentials.settings.openid === null || ring === null) return;
    if (!(ring.algorithms as readonly string[]).includes(alg)) {
      throw new ValidationError(
        'idTokenSignedResponseAlg',
        `${alg} is not one the provider keeps signing keys for (${ring.algorithms.join(', ')}): add it to signingKeys.algorithms`,
      );
    }
  }

  /** Deletes the client with its tokens and authorization codes. False when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!mayBeStoredClientId(id)) return false;
    return this.credentials.storage.management.deleteClient(id);
  }
}
