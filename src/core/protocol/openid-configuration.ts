import type { OAuthProvider } from '../oauth-provider.js';
import type { OpenIdSettings } from '../provider/openid/openid-options.js';
import { STANDARD_USER_CLAIMS } from '../provider/openid/user-claims.js';
import { credentialsOf } from '../provider/provider-link.js';

/** Where the OpenID Provider's own endpoints are, as absolute URLs. */
export interface OpenIdEndpointUrls {
  /** The UserInfo endpoint (OIDC Core §5.3). */
  userinfo: string;
  /** The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0 §2); omitted when not served. */
  endSession?: string;
}

/** The OpenID Provider Metadata of a provider (built by {@link createOpenIdDiscovery}). */
export interface OpenIdDiscovery {
  /**
   * The OpenID Provider Metadata (OIDC Discovery §3): the authorization server's RFC 8414 document
   * as given, every member kept as it is, with the OpenID members added. Serve the result both at
   * `/.well-known/openid-configuration` (OIDC Discovery §4) and in place of the RFC 8414 document
   * (whose registry holds the same members, RFC 8414 §2), so that the two never disagree.
   */
  providerMetadata(oauthMetadata: Readonly<Record<string, unknown>>, endpoints: OpenIdEndpointUrls): Record<string, unknown>;
}

/** The claims an ID token may carry besides the user's (OIDC Core §2), for `claims_supported`. */
const ID_TOKEN_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr'] as const;

/**
 * The OpenID Provider Metadata of a provider built with `openid`; throws a TypeError for one
 * without it. What it announces comes from the provider's settings:
 *
 * - `subject_types_supported`: `public`, and `pairwise` when `openid.pairwiseSecret` is set (OIDC Core §8);
 * - `id_token_signing_alg_values_supported`: the algorithms the provider keeps signing keys for,
 *   the default one (`openid.idTokenSigningAlgorithm`) first: a client may register any of them
 *   (`id_token_signed_response_alg`). RS256 is always among them (OIDC Discovery §3: "RS256 MUST
 *   be included");
 * - `claims_supported`: `sub`, the ID token's claims, and the user claims the provider may release:
 *   every standard claim of OIDC Core §5.1 with a `openid.claims` hook, else `preferred_username`;
 * - `scopes_supported`: the RFC 8414 document's, with `openid` first (added when missing);
 * - the request object, `request_uri` and `claims` parameters are not supported (`false`), nor
 *   are prompts other than `none`, `login` and `consent`.
 */
export function createOpenIdDiscovery(options: { provider: OAuthProvider }): OpenIdDiscovery {
  const credentials = credentialsOf(options.provider);
  const settings = credentials.settings.openid;
  if (settings === null) throw new TypeError('createOpenIdDiscovery: the provider was built without the openid option');
  const fixed = openIdMembers(settings, credentials.keyRing?.algorithms ?? []);
  return {
    providerMetadata(oauthMetadata, endpoints) {
      const scopes = Array.isArray(oauthMetadata['scopes_supported']) ? (oauthMetadata['scopes_supported'] as unknown[]) : [];
      return {
        ...oauthMetadata,
        userinfo_endpoint: endpoints.userinfo,
        ...(endpoints.endSession === undefined ? {} : { end_session_endpoint: endpoints.endSession }),
        // OIDC Discovery §3: "The server MUST support the openid scope value."
        scopes_supported: ['openid', ...scopes.filter((scope) => scope !== 'openid')],
        ...structuredClone(fixed),
      };
    },
  };
}

/** The members that depend on the provider's settings only. */
function openIdMembers(settings: OpenIdSettings, keptAlgorithms: readonly string[]): Record<string, unknown> {
  const userClaims = settings.claims === null ? ['preferred_username'] : STANDARD_USER_CLAIMS;
  return {
    subject_types_supported: settings.pairwiseSecret === null ? ['public'] : ['public', 'pairwise'],
    id_token_signing_alg_values_supported: idTokenSigningAlgorithms(settings, keptAlgorithms),
    claims_supported: ['sub', ...ID_TOKEN_CLAIMS, ...userClaims],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    // OIDC Discovery §3: its default is true, so false is said.
    request_uri_parameter_supported: false,
    prompt_values_supported: ['none', 'login', 'consent'],
  };
}

/**
 * The algorithms ID tokens may be signed with: the default one, RS256 (OIDC Core §15.1), and the
 * others the provider keeps a key for (`signingKeys.algorithm`, `signingKeys.algorithms`).
 */
export function idTokenSigningAlgorithms(settings: Pick<OpenIdSettings, 'idTokenSigningAlgorithm'>, keptAlgorithms: readonly string[]): string[] {
  return [...new Set<string>([settings.idTokenSigningAlgorithm, 'RS256', ...keptAlgorithms])];
}
