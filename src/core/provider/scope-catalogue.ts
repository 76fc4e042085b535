import { ValidationError } from '../errors.js';
import { isStorableText, MAX_SCOPE_DESCRIPTION_LENGTH } from './input-limits.js';
import type { Credentials } from './credentials.js';
import type { ScopeRecord } from '../storage/records.js';
import { isScopeToken } from './scope.js';

/**
 * The scopes the server knows (`provider.scopes`). A client may only be given catalogued scopes,
 * so the catalogue is also what the default scope policy refuses unknown scopes against.
 */
export class ScopeCatalogue {
  /** @internal */
  constructor(private readonly credentials: Credentials) {}

  /** Adds a scope, or replaces the description of an existing one. */
  async define(name: string, description?: string | null): Promise<void> {
    if (!isScopeToken(name)) throw new ValidationError('name', 'must be a scope-token (RFC 6749 §3.3) of at most 128 characters');
    if (description !== undefined && description !== null && !isStorableText(description, MAX_SCOPE_DESCRIPTION_LENGTH)) {
      throw new ValidationError('description', `must be 1–${MAX_SCOPE_DESCRIPTION_LENGTH} printable characters`);
    }
    await this.credentials.storage.management.upsertScopes([{ name, description: description ?? null }], this.credentials.now());
  }

  /** All scopes, ordered by name. */
  list(): Promise<ScopeRecord[]> {
    return this.credentials.storage.management.listScopes();
  }

  /** Deletes a scope and takes it away from every client. False when it did not exist. */
  async delete(name: string): Promise<boolean> {
    if (!isScopeToken(name)) return false;
    return this.credentials.storage.management.deleteScope(name);
  }
}
