import { isScopeToken } from '../provider/scope.js';
import { ProtectedResourceMetadataError, type ProtectedResourceMetadataErrorCode } from './protected-resource-error.js';
import {
  checkIssuerIdentifier,
  checkPageUrl,
  checkResourceMetadataUrl,
  parseResourceIdentifier,
  wellKnownUrlOf,
} from './protected-resource-urls.js';

/** How a client may send its bearer token (RFC 6750 §2.1 header, §2.2 form body, §2.3 query). */
export type BearerMethod = 'header' | 'body' | 'query';

const BEARER_METHODS: readonly BearerMethod[] = ['header', 'body', 'query'];

/** Options of {@link protectedResourceMetadata}: the facts RFC 9728 §2 publishes, in camelCase. */
export interface ProtectedResourceOptions {
  /**
   * The resource identifier (RFC 9728 §1.2): the URL clients use to reach the resource, such as
   * `https://api.example.com/mcp`. Absolute, `https`, no fragment; plain `http` is accepted on a
   * loopback host only (`localhost`, `127.0.0.0/8`, `[::1]`), for development. Write it as the URL
   * parser does (lower-case host, no default port, percent-encoded path): clients compare it with
   * the URL they used character for character (§3.3).
   */
  resource: string;
  /**
   * Issuer identifiers (RFC 8414 §2) of the authorization servers whose tokens the resource
   * accepts, at least one (MCP requires one): `https`, no query or fragment, e.g. the `issuer` given
   * to `createOAuthRouter`. Clients fetch each one's RFC 8414 metadata from it.
   */
  authorizationServers: readonly string[];
  /**
   * `scopes_supported`: scopes a client may ask for to use this resource (RECOMMENDED by §2). Not
   * necessarily all of them (§2), and not a list to ask for whole (§7.2). Omitted when empty (§3.2).
   */
  scopesSupported?: readonly string[];
  /**
   * `bearer_methods_supported`. Default `['header']`, the one method the kit's guard always
   * accepts (the form body needs a body parser before the guard, the query an explicit opt-in,
   * and MCP allows the header only). `[]` says no method is supported (§2).
   */
  bearerMethodsSupported?: readonly BearerMethod[];
  /** `resource_name`: a name to show to the end user (RECOMMENDED by §2). */
  resourceName?: string;
  /** `resource_documentation`: a page for developers who use the resource. */
  resourceDocumentation?: string;
  /** `resource_policy_uri`: a page on how clients may use the data the resource provides. */
  resourcePolicyUri?: string;
  /** `resource_tos_uri`: the resource's terms of service. */
  resourceTosUri?: string;
}

/**
 * The OAuth 2.0 Protected Resource Metadata document (RFC 9728 §2), as served as JSON at the
 * resource's well-known URL (§3.2).
 */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly BearerMethod[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly resource_policy_uri?: string;
  readonly resource_tos_uri?: string;
}

/** A protected resource's published description: built by {@link protectedResourceMetadata}. */
export interface ProtectedResource {
  /** The resource identifier, as configured. */
  readonly resource: string;
  /**
   * Where the document lives (RFC 9728 §3.1): `/.well-known/oauth-protected-resource` between the
   * identifier's host and its path, e.g. `https://api.example.com/.well-known/oauth-protected-resource/mcp`.
   * The URL a guard names in its challenges (§5.1).
   */
  readonly metadataUrl: string;
  /** The document (frozen). */
  readonly metadata: ProtectedResourceMetadata;
}

/**
 * Describes a protected resource per RFC 9728 and checks the description once, here: the
 * document (§2), and the well-known URL clients fetch it from (§3.1). Serve it with
 * `serveProtectedResourceMetadata` from `oauth2-kit/koa` (or your framework), and name it in the
 * guard's challenges with `resourceMetadata`. Invalid options throw a
 * {@link ProtectedResourceMetadataError} naming the option and what it must be.
 *
 * Handed to a guard as `resourceMetadata`, it also binds the guard to the resource (RFC 8707 §2):
 * only tokens issued for `resource` pass. Register the resource (`provider.resources.define`) so
 * that clients can ask for such tokens.
 *
 * @example
 * const mcp = protectedResourceMetadata({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   scopesSupported: ['mcp:tools'],
 * });
 * mcp.metadataUrl; // 'https://api.example.com/.well-known/oauth-protected-resource/mcp'
 */
export function protectedResourceMetadata(options: ProtectedResourceOptions): ProtectedResource {
  if (typeof options !== 'object' || options === null) throw new TypeError('protectedResourceMetadata needs its options: { resource, authorizationServers }');
  const url = parseResourceIdentifier(options.resource);
  const servers = authorizationServers(options.authorizationServers);
  const scopes = distinctList(options.scopesSupported ?? [], 'invalid_scopes_supported', 'scopesSupported', (scope, field) => {
    if (!isScopeToken(scope)) throw refusal('invalid_scopes_supported', field, `must be a scope-token (RFC 6749 §3.3), got ${JSON.stringify(scope)}`);
    return scope;
  });
  const methods = distinctList(options.bearerMethodsSupported ?? ['header'], 'invalid_bearer_methods_supported', 'bearerMethodsSupported', (method, field) => {
    if (!BEARER_METHODS.includes(method as BearerMethod)) {
      throw refusal('invalid_bearer_methods_supported', field, `must be "header", "body" or "query" (RFC 9728 §2), got ${JSON.stringify(method)}`);
    }
    return method as BearerMethod;
  });
  const metadata: ProtectedResourceMetadata = {
    resource: options.resource,
    authorization_servers: servers,
    // §3.2: "Parameters with zero values MUST be omitted from the response."
    ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
    // Except this one: §2 gives `[]` a meaning of its own, "no bearer methods are supported".
    bearer_methods_supported: methods,
    ...(options.resourceName === undefined ? {} : { resource_name: resourceName(options.resourceName) }),
    ...pageUrl(options.resourceDocumentation, 'resource_documentation', 'resourceDocumentation'),
    ...pageUrl(options.resourcePolicyUri, 'resource_policy_uri', 'resourcePolicyUri'),
    ...pageUrl(options.resourceTosUri, 'resource_tos_uri', 'resourceTosUri'),
  };
  return Object.freeze({ resource: options.resource, metadataUrl: wellKnownUrlOf(url), metadata: deepFreeze(metadata) });
}

/**
 * Where RFC 9728 §3.1 puts the metadata of the resource `resource` identifies: the well-known
 * string `/.well-known/oauth-protected-resource` between its host (and port) and its path and
 * query, kept as written, a final "/" included; an empty path adds nothing.
 *
 * - `https://api.example.com/mcp` → `https://api.example.com/.well-known/oauth-protected-resource/mcp`
 * - `https://api.example.com` → `https://api.example.com/.well-known/oauth-protected-resource`
 *
 * The identifier is checked as {@link protectedResourceMetadata} checks it, with the same errors.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  return wellKnownUrlOf(parseResourceIdentifier(resource));
}

/**
 * The URL a challenge's `resource_metadata` parameter names (RFC 9728 §5.1) for a guard's
 * `resourceMetadata` option: the description's `metadataUrl`, or the URL given, once checked
 * (absolute, `https` or loopback `http`, no fragment, written as the URL parser writes it). Throws
 * a {@link ProtectedResourceMetadataError} with code `invalid_resource_metadata` otherwise. For
 * bindings, which check the option when they are built rather than at the first refusal.
 */
export function resourceMetadataParameter(value: string | ProtectedResource, field = 'resourceMetadata'): string {
  if (typeof value === 'object' && value !== null) return checkResourceMetadataUrl(value.metadataUrl, `${field}.metadataUrl`);
  return checkResourceMetadataUrl(value, field);
}

function refusal(code: ProtectedResourceMetadataErrorCode, field: string, reason: string): ProtectedResourceMetadataError {
  return new ProtectedResourceMetadataError(code, field, reason);
}

/** A list whose every item is checked, without repetitions (each value means one thing). */
function distinctList<T>(
  values: unknown,
  code: ProtectedResourceMetadataErrorCode,
  field: string,
  check: (value: unknown, field: string) => T,
): T[] {
  if (!Array.isArray(values)) throw refusal(code, field, 'must be an array');
  const checked = values.map((value, index) => check(value, `${field}[${index}]`));
  const repeated = checked.find((value, index) => checked.indexOf(value) !== index);
  if (repeated !== undefined) throw refusal(code, field, `names ${JSON.stringify(repeated)} twice`);
  return checked;
}

function authorizationServers(issuers: unknown): string[] {
  const checked = distinctList(issuers, 'invalid_authorization_servers', 'authorizationServers', checkIssuerIdentifier);
  // RFC 9728 §2 makes the list optional, but a client that starts from the resource has no other
  // way to find where to get a token, and MCP requires at least one.
  if (checked.length === 0) {
    throw refusal('invalid_authorization_servers', 'authorizationServers', 'must name at least one authorization server (its issuer identifier)');
  }
  return checked;
}

/** Printable text for a person: not blank, no control characters (§2.1: shown as it is). */
function resourceName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || /\p{Cc}/u.test(name)) {
    throw refusal('invalid_resource_name', 'resourceName', 'must be non-blank text without control characters');
  }
  return name;
}

type PageParameter = 'resource_documentation' | 'resource_policy_uri' | 'resource_tos_uri';

function pageUrl(value: string | undefined, parameter: PageParameter, field: string): Partial<Record<PageParameter, string>> {
  return value === undefined ? {} : { [parameter]: checkPageUrl(value, `invalid_${parameter}`, field) };
}

function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) if (typeof member === 'object' && member !== null) Object.freeze(member);
  return Object.freeze(value);
}
