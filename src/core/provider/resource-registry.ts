import { ValidationError } from '../errors.js';
import { UnknownScopeError } from '../storage/storage-errors.js';
import type { OAuthResourceStorage } from '../storage/resource-port.js';
import type { ResourceRecord } from '../storage/records.js';
import type { Credentials } from './credentials.js';
import { isResourceIdentifier } from './resource-indicators.js';
import { validateResourceDefinition, type ResourceDefinition } from './resource-input.js';

/**
 * A registered resource as the management API returns it: a plain object, the caller's own copy.
 * `scopes` empty: a token for it may carry any scope; `accessTokenLifetime` null: no bound of its own.
 */
export type ResourceView = ResourceRecord;

function toResourceView(record: ResourceRecord): ResourceView {
  return {
    id: record.id,
    name: record.name,
    scopes: [...record.scopes],
    accessTokenLifetime: record.accessTokenLifetime,
    tokenFormat: record.tokenFormat,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(record.updatedAt),
  };
}

/**
 * The management API for protected resources (`provider.resources`): the APIs and MCP servers
 * clients may ask tokens for with RFC 8707 resource indicators. A token request naming a resource
 * not registered here is refused `invalid_target`.
 *
 * Invalid input throws `ValidationError` naming the field; scopes missing from the catalogue
 * throw `UnknownScopeError`. With a storage that has no resource port (`OAuthResourceStorage`),
 * every method throws a `TypeError` saying so.
 */
export class ResourceRegistry {
  /** @internal */
  constructor(private readonly credentials: Credentials) {}

  /**
   * Registers a resource, or replaces every field of the one with this id (its `createdAt` stays).
   * Tokens already issued keep the audience, scope, lifetime and format they were issued with.
   *
   * `tokenFormat: 'jwt'` makes every access token whose audience includes this resource a JWT
   * (RFC 9068), which needs a storage with the signing-key port (else `ValidationError`) and, to
   * be issued, a provider with `issuer` and `signingKeys` (else the token endpoint answers 500 and
   * tells its `onError` which is missing).
   */
  async define(definition: ResourceDefinition): Promise<ResourceView> {
    const resources = this.#resources();
    const valid = validateResourceDefinition(definition);
    if (valid.tokenFormat === 'jwt' && this.credentials.storage.signingKeys === null) {
      throw new ValidationError(
        'tokenFormat',
        'jwt needs a storage with the signing-key port (OAuthSigningKeyStorage) to keep the keys JWT access tokens are signed with',
      );
    }
    if (valid.scopes.length > 0) {
      const catalogue = new Set((await this.credentials.storage.management.listScopes()).map((scope) => scope.name));
      const unknown = valid.scopes.filter((scope) => !catalogue.has(scope));
      if (unknown.length > 0) throw new UnknownScopeError(unknown);
    }
    const now = this.credentials.now();
    const record: ResourceRecord = { ...valid, createdAt: now, updatedAt: now };
    await resources.saveResource(record);
    // Read back for the `createdAt` a replaced resource keeps.
    const [stored] = await resources.findResources([record.id]);
    return toResourceView(stored ?? record);
  }

  /** The resource with exactly this identifier, or null. */
  async find(id: string): Promise<ResourceView | null> {
    const resources = this.#resources();
    if (!isResourceIdentifier(id)) return null;
    const found = (await resources.findResources([id])).find((record) => record.id === id);
    return found ? toResourceView(found) : null;
  }

  /** Every registered resource, ordered by id. */
  async list(): Promise<ResourceView[]> {
    return (await this.#resources().listResources()).map(toResourceView);
  }

  /**
   * Deletes the resource; false when there was none. Tokens already issued for it keep their
   * audience until they expire or are revoked; new requests naming it are refused `invalid_target`.
   */
  async delete(id: string): Promise<boolean> {
    const resources = this.#resources();
    if (!isResourceIdentifier(id)) return false;
    return resources.deleteResource(id);
  }

  /** The resource port, or a clear error when the storage has none. */
  #resources(): OAuthResourceStorage {
    const resources = this.credentials.storage.resources;
    if (resources === null) {
      throw new TypeError(
        'this storage has no resource port (OAuthResourceStorage: findResources, saveResource, deleteResource, listResources), ' +
          'so it cannot keep resources (RFC 8707) and every `resource` parameter is refused invalid_target',
      );
    }
    return resources;
  }
}
