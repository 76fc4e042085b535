import { ValidationError } from '../errors.js';
import type { AccessTokenFormat } from '../storage/records.js';
import { validateName, validateScopes } from './client-input.js';
import { MAX_SCOPE_STRING_LENGTH } from './input-limits.js';
import { assertLifetime } from './lifetimes.js';
import { isResourceIdentifier, MAX_RESOURCE_IDENTIFIER_LENGTH } from './resource-indicators.js';

/** What `provider.resources.define()` takes: every field of the resource, which it replaces whole. */
export interface ResourceDefinition {
  /**
   * The resource identifier clients send as `resource` (RFC 8707 §2): an absolute URI without
   * fragment, at most 512 characters, e.g. `https://api.example.com/mcp`. Stored and compared
   * exactly as given: `https://api.example` and `https://api.example/` are two resources.
   */
  id: string;
  /** Human-readable name, 1–255 characters, shown on the consent page. */
  name: string;
  /**
   * The scopes a token for this resource may carry, each a defined scope. Omitted or empty: any
   * scope of the catalogue.
   */
  scopes?: string[];
  /**
   * Access-token lifetime in seconds for tokens of this resource (1–86400); a token for it lives
   * the shortest of this, the client's and the server's lifetime. Omitted or null: no bound of its own.
   */
  accessTokenLifetime?: number | null;
  /**
   * The format of access tokens issued for this resource: `opaque` (the default: a random string the
   * resource validates through this server) or `jwt` (an RFC 9068 JWT signed with the server's keys,
   * which the resource validates on its own against the published JWKS).
   */
  tokenFormat?: AccessTokenFormat;
}

/** A definition as validated: every field present. */
export type ValidResourceDefinition = Required<ResourceDefinition> & { accessTokenLifetime: number | null };

const TOKEN_FORMATS: readonly AccessTokenFormat[] = ['opaque', 'jwt'];

const FIELDS = new Set<string>(['id', 'name', 'scopes', 'accessTokenLifetime', 'tokenFormat']);

/**
 * Validates a definition, field by field, naming the first field it refuses. An unknown field is
 * refused rather than ignored: a misspelt `scope` would otherwise register a resource that accepts
 * any scope.
 */
export function validateResourceDefinition(input: unknown): ValidResourceDefinition {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ValidationError('resource', 'must be an object');
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!FIELDS.has(key)) throw new ValidationError(key, `is not a field of a resource (${[...FIELDS].join(', ')})`);
  }
  if (!isResourceIdentifier(fields.id)) {
    throw new ValidationError(
      'id',
      `must be an absolute URI without fragment (RFC 8707 §2), of at most ${MAX_RESOURCE_IDENTIFIER_LENGTH} characters`,
    );
  }
  const name = validateName(fields.name);
  const scopes = fields.scopes === undefined ? [] : validateScopes(fields.scopes);
  // Stored space-delimited, as a `scope` parameter (RFC 6749 §3.3), in a column of this size.
  if (scopes.join(' ').length > MAX_SCOPE_STRING_LENGTH) {
    throw new ValidationError('scopes', `must take at most ${MAX_SCOPE_STRING_LENGTH} characters, space-delimited`);
  }
  let accessTokenLifetime: number | null = null;
  if (fields.accessTokenLifetime !== undefined && fields.accessTokenLifetime !== null) {
    assertLifetime('accessTokenLifetime', fields.accessTokenLifetime);
    accessTokenLifetime = fields.accessTokenLifetime;
  }
  const tokenFormat = fields.tokenFormat ?? 'opaque';
  if (!TOKEN_FORMATS.includes(tokenFormat as AccessTokenFormat)) {
    throw new ValidationError('tokenFormat', `must be one of ${TOKEN_FORMATS.join(', ')}`);
  }
  return { id: fields.id, name, scopes, accessTokenLifetime, tokenFormat: tokenFormat as AccessTokenFormat };
}
