import type { ResourceRecord } from './records.js';

/**
 * The optional resource port: the `oauth_resources` table, the protected resources (APIs, MCP
 * servers) tokens may be bound to with RFC 8707 resource indicators. With a storage without it, no
 * resource is registered: a request naming one is refused `invalid_target`, and tokens carry no
 * audience (docs/contract.md).
 */
export interface OAuthResourceStorage {
  /**
   * The registered resources among `ids`, in any order; unknown ids are simply absent. One round
   * trip for any number of ids (at most 16: the core refuses more resources in one request).
   *
   * Called by: the authorization endpoint and the token endpoint, when a request names resources.
   */
  findResources(ids: readonly string[]): Promise<ResourceRecord[]>;

  /**
   * Registers `resource`, or replaces every field of the one with its id (keeping its `createdAt`).
   *
   * Called by: `provider.resources.define()`.
   */
  saveResource(resource: ResourceRecord): Promise<void>;

  /**
   * Deletes the resource `id`; false when there was none. Tokens already issued for it keep their
   * audience (a guard for the resource still admits them until they expire or are revoked).
   *
   * Called by: `provider.resources.delete()`.
   */
  deleteResource(id: string): Promise<boolean>;

  /**
   * Every registered resource, ordered by id.
   *
   * Called by: `provider.resources.list()`, the CLI.
   */
  listResources(): Promise<ResourceRecord[]>;
}

/** The resource port's methods, in the order they are documented. */
export const RESOURCE_METHODS = ['findResources', 'saveResource', 'deleteResource', 'listResources'] as const satisfies ReadonlyArray<
  keyof OAuthResourceStorage
>;
