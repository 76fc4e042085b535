import { ValidationError } from '../errors.js';
import type { ClientRecord, SubjectType } from '../storage/records.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing/key-pair.js';
import { sectorOf, SubjectIdentifierError } from './openid/subject-identifier.js';

/** The OpenID Connect settings of a client, as the management API takes them. */
export interface ClientOpenIdInput {
  /**
   * Where the client may ask to be sent after logging out (OpenID Connect RP-Initiated Logout 1.0
   * §3.1 `post_logout_redirect_uris`): absolute URIs without fragment, by the rules of the
   * client's redirect URIs; matched exactly. Default none.
   */
  postLogoutRedirectUris?: string[];
  /**
   * The algorithm of the client's ID tokens (OpenID Connect Registration §2
   * `id_token_signed_response_alg`): `ES256`, `RS256` or `EdDSA`; null or omitted: the provider's
   * `openid.idTokenSigningAlgorithm`.
   */
  idTokenSignedResponseAlg?: SigningAlgorithm | null;
  /**
   * The `sub` the client is told (OIDC Core §8): the user's id (`public`, the default), or one
   * derived for the client's sector (`pairwise`), which needs the provider's `openid.pairwiseSecret`.
   */
  subjectType?: SubjectType;
  /**
   * The host name pairwise subjects are derived for (OIDC Core §8.1), e.g. `example.com`; null or
   * omitted: the one host of the client's redirect URIs. A pairwise client whose redirect URIs
   * are on several hosts needs one. Clients of one sector see the same `sub` for a user.
   */
  sectorIdentifier?: string | null;
}

const SUBJECT_TYPES: readonly SubjectType[] = ['public', 'pairwise'];
/**
 * A host as `URL.host` spells it, the form `sectorOf` derives from redirect URIs: lower-case DNS
 * labels or an IPv4 address, with an optional port. At most 255 characters (the column's width).
 */
const HOST = /^(?=.{1,255}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

export function validateIdTokenAlg(value: unknown): SigningAlgorithm | null {
  if (value === null) return null;
  if (!(SIGNING_ALGORITHMS as readonly unknown[]).includes(value)) {
    throw new ValidationError('idTokenSignedResponseAlg', `must be one of ${SIGNING_ALGORITHMS.join(', ')}, or null for the provider's default`);
  }
  return value as SigningAlgorithm;
}

export function validateSubjectType(value: unknown): SubjectType {
  if (!SUBJECT_TYPES.includes(value as SubjectType)) throw new ValidationError('subjectType', 'must be public or pairwise (OIDC Core §8)');
  return value as SubjectType;
}

export function validateSectorIdentifier(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !HOST.test(value)) {
    throw new ValidationError('sectorIdentifier', 'must be a host name in lower case, e.g. example.com (OIDC Core §8.1), or null');
  }
  return value;
}

/**
 * OIDC Core §8.1: a pairwise client's sector is its sector identifier, else the one host of its
 * redirect URIs; a client without either would be refused every ID token, so it is refused here.
 * Checked on the merged result of a create or an update.
 */
export function assertSubjectCoherent(client: Pick<ClientRecord, 'id' | 'subjectType' | 'sectorIdentifier' | 'redirectUris'>): void {
  if (client.subjectType !== 'pairwise') return;
  let sector: string;
  try {
    sector = sectorOf(client);
  } catch (error) {
    if (!(error instanceof SubjectIdentifierError)) throw error;
    throw new ValidationError('sectorIdentifier', `is needed for pairwise subjects: ${error.message}`);
  }
  // A private-use scheme's URI (RFC 8252 §7.1) has no host: the empty sector would be every such client's.
  if (sector === '') {
    throw new ValidationError('sectorIdentifier', 'is needed for pairwise subjects: the redirect URIs have no host to be the sector (OIDC Core §8.1)');
  }
}
