/**
 * What {@link ProtectedResourceMetadataError} found wrong, one code per metadata parameter of RFC
 * 9728 (`invalid_` followed by the parameter's name), for programs that react to it.
 */
export type ProtectedResourceMetadataErrorCode =
  | 'invalid_resource'
  | 'invalid_authorization_servers'
  | 'invalid_scopes_supported'
  | 'invalid_bearer_methods_supported'
  | 'invalid_resource_name'
  | 'invalid_resource_documentation'
  | 'invalid_resource_policy_uri'
  | 'invalid_resource_tos_uri'
  /** The URL a guard is told to name in its `resource_metadata` challenge parameter (RFC 9728 §5.1). */
  | 'invalid_resource_metadata';

/**
 * A protected resource's description was refused when it was built: `protectedResourceMetadata()`,
 * or a guard given a `resourceMetadata` it cannot name. `code` is stable, `field` names the
 * option (`authorizationServers[1]`), and the message says what is wrong and what is expected.
 */
export class ProtectedResourceMetadataError extends Error {
  override readonly name = 'ProtectedResourceMetadataError';
  constructor(
    readonly code: ProtectedResourceMetadataErrorCode,
    /** The offending option, e.g. `resource` or `authorizationServers[1]`. */
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}
