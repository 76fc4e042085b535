import type { SubjectType } from '../storage/records.js';
import { sectorOf, SubjectIdentifierError } from './openid/subject-identifier.js';
import { MAX_SELF_REGISTERED_REDIRECT_URIS, selfRegisteredRedirectUriFault } from './client-input.js';
import type { OpenIdSettings } from './openid/openid-options.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing/key-pair.js';

/**
 * The OpenID Connect client metadata a client nobody vetted may register (OpenID Connect Dynamic
 * Client Registration 1.0 §2, RP-Initiated Logout 1.0 §3.1), as registered: a field the client
 * did not send is absent.
 */
export interface OpenIdClientMetadata {
  /** RP-Initiated Logout §3.1: where the client may ask to be sent after logout; matched exactly. */
  post_logout_redirect_uris?: string[];
  /** Registration §2: the ID token's `alg`; RS256 when omitted and the provider is an OpenID provider (Registration §2). */
  id_token_signed_response_alg?: SigningAlgorithm;
  /** Registration §2: `public` (absent means the same) or `pairwise` (OIDC Core §8). */
  subject_type?: SubjectType;
}

/** Whether the provider is an OpenID provider (the `openid` option), and derives pairwise subjects. */
export interface OpenIdRegistrationSettings {
  /** Whether `openid.pairwiseSecret` is set (OIDC Core §8.1). */
  pairwise: boolean;
  /** The algorithms the provider keeps signing keys for (its Discovery `id_token_signing_alg_values_supported`); null: not known. */
  algorithms: readonly SigningAlgorithm[] | null;
}

/** What self-registration needs of the provider's `openid` settings; null when it has none. */
export function openIdRegistrationSettings(openid: OpenIdSettings | null, algorithms: readonly SigningAlgorithm[] | null): OpenIdRegistrationSettings | null {
  return openid === null ? null : { pairwise: openid.pairwiseSecret !== null, algorithms };
}

/**
 * OIDC Registration §2: "The default, if omitted, is RS256". A relying party that registered no
 * algorithm verifies RS256 ID tokens, whatever the provider's own default; every OpenID provider
 * signs with RS256 (OIDC Discovery §3).
 */
const REGISTRATION_DEFAULT_ALG: SigningAlgorithm = 'RS256';

/** What such a client's metadata makes of the OpenID Connect fields of its client record. */
export interface OpenIdClientFields {
  postLogoutRedirectUris: string[];
  idTokenSignedResponseAlg: SigningAlgorithm | null;
  subjectType: SubjectType;
  /** Never set by the client itself: its sector is the host of its redirect URIs (OIDC Core §8.1). */
  sectorIdentifier: null;
}

/**
 * Reads and checks the OpenID Connect metadata of a client that registers itself or is known by
 * its metadata document; returns the first rule broken as a sentence (`field …`), or the metadata.
 *
 * - `post_logout_redirect_uris`: at most as many as redirect URIs, each by the redirect-URI rules
 *   of every client nobody vetted (RP-Initiated Logout §3.1 sends the user agent there, as a
 *   redirect does; `http` only on the loopback interface, RFC 8252 §8.3).
 * - `id_token_signed_response_alg`: one the kit signs with; never `none` (OIDC Core §2: an ID
 *   token from the authorization endpoint's code is signed) nor a MAC (no client secret signs here),
 *   and on an OpenID provider one it keeps keys for: a token it cannot sign would fail every issuance.
 *   Omitted, it is RS256 on an OpenID provider (`openid` not null), the default Registration §2
 *   names, and registered as such so that the client information response says so (RFC 7591
 *   §3.2.1: fields the server provisions are returned); a provider without OpenID Connect adds none.
 * - `subject_type`: `pairwise` only when the server derives pairwise subjects (`openid.pairwise`), and
 *   only for redirect URIs on one host, whose host is then the sector (OIDC Core §8.1).
 * - `sector_identifier_uri` (Registration §2) is refused: using it means fetching a URL the client
 *   names at registration, one more way to make the server send requests where a stranger says.
 */
export function readOpenIdMetadata(
  body: Record<string, unknown>,
  redirectUris: readonly string[],
  openid: OpenIdRegistrationSettings | null,
): { fault: string } | { metadata: OpenIdClientMetadata } {
  if (body['sector_identifier_uri'] !== undefined && body['sector_identifier_uri'] !== null) {
    return {
      fault:
        'sector_identifier_uri is not supported: this server does not fetch it; a pairwise client registers redirect URIs on one host, which is its sector (OpenID Connect Registration §2, OIDC Core §8.1)',
    };
  }
  const metadata: OpenIdClientMetadata = {};
  const uris = body['post_logout_redirect_uris'];
  if (uris !== undefined && uris !== null) {
    if (!Array.isArray(uris) || uris.length > MAX_SELF_REGISTERED_REDIRECT_URIS) {
      return { fault: `post_logout_redirect_uris must be an array of at most ${MAX_SELF_REGISTERED_REDIRECT_URIS} URIs (RP-Initiated Logout §3.1)` };
    }
    for (const [index, uri] of uris.entries()) {
      const fault = selfRegisteredRedirectUriFault(uri);
      if (fault !== null) return { fault: `post_logout_redirect_uris[${index}] ${fault}` };
    }
    metadata.post_logout_redirect_uris = [...new Set(uris as string[])];
  }
  const alg = body['id_token_signed_response_alg'];
  if (alg !== undefined && alg !== null) {
    if (!(SIGNING_ALGORITHMS as readonly unknown[]).includes(alg)) {
      return { fault: `id_token_signed_response_alg must be one of ${SIGNING_ALGORITHMS.join(', ')}: ID tokens here are signed with the server's keys, never unsigned (OIDC Core §2)` };
    }
    const unkept = unkeptAlgorithmFault(alg as SigningAlgorithm, openid);
    if (unkept !== null) return { fault: unkept };
    metadata.id_token_signed_response_alg = alg as SigningAlgorithm;
  } else if (openid !== null) {
    metadata.id_token_signed_response_alg = REGISTRATION_DEFAULT_ALG;
  }
  const subjectType = body['subject_type'];
  if (subjectType !== undefined && subjectType !== null) {
    if (subjectType !== 'public' && subjectType !== 'pairwise') return { fault: 'subject_type must be public or pairwise (OIDC Core §8)' };
    if (subjectType === 'pairwise') {
      if (openid?.pairwise !== true) return { fault: 'subject_type pairwise is not offered by this server: it derives no pairwise subjects (OIDC Core §8.1)' };
      // One host, the client's sector: not a private-use scheme's (none) nor loopback (every
      // native app's), or clients would share subjects (OIDC Core §8.1, §17.3).
      try {
        sectorOf({ id: 'the registering client', sectorIdentifier: null, redirectUris: [...redirectUris] });
      } catch (error) {
        if (!(error instanceof SubjectIdentifierError)) throw error;
        return { fault: `subject_type pairwise needs redirect_uris on one host that is the client's own sector (sector_identifier_uri is not supported): ${error.message}` };
      }
    }
    metadata.subject_type = subjectType;
  }
  return { metadata };
}

/** Why the provider cannot sign a client's ID tokens with `alg` (it keeps no key for it), or null. */
export function unkeptAlgorithmFault(alg: SigningAlgorithm, openid: OpenIdRegistrationSettings | null): string | null {
  const kept = openid?.algorithms ?? null;
  if (kept === null || kept.includes(alg)) return null;
  return `id_token_signed_response_alg ${alg} is not offered by this server, which signs ID tokens with ${kept.join(', ')} (OIDC Registration §2)`;
}

/**
 * The client record's OpenID Connect fields from checked metadata; on an OpenID provider an
 * omitted algorithm is the Registration §2 default, RS256.
 */
export function openIdClientFields(metadata: OpenIdClientMetadata, openid: OpenIdRegistrationSettings | null): OpenIdClientFields {
  return {
    postLogoutRedirectUris: [...(metadata.post_logout_redirect_uris ?? [])],
    idTokenSignedResponseAlg: metadata.id_token_signed_response_alg ?? (openid === null ? null : REGISTRATION_DEFAULT_ALG),
    subjectType: metadata.subject_type ?? 'public',
    sectorIdentifier: null,
  };
}
