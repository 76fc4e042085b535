import type { Authentication, ClientRecord } from '../../storage/records.js';
import { signCompactJws } from '../signing/compact-jws.js';
import type { KeyRing } from '../signing/key-ring.js';
import { isSigningAlgorithm, type SigningAlgorithm } from '../signing/key-pair.js';
import { SigningKeyError } from '../signing/signing-key-error.js';
import { atHash } from './at-hash.js';
import { idTokenClaims, idTokenHeader } from './id-token-claims.js';
import type { OpenIdSettings } from './openid-options.js';
import { subjectFor } from './subject-identifier.js';

/** Whom and what an ID token is about. */
export interface IdTokenRequest {
  client: ClientRecord;
  /** The user's id in the application: the local `sub`, before any pairwise derivation. */
  userId: string;
  /** The authorization request's `nonce`; null when it sent none, and on refresh (OIDC Core §12.2). */
  nonce: string | null;
  /** The authentication the grant began with (OIDC Core §2 `auth_time`, `acr`, `amr`). */
  authentication: Authentication;
}

/** Signs the prepared ID token once the access token it goes with is known (its `at_hash`). */
export type IdTokenSigner = (accessToken: string) => string;

/**
 * Mints ID tokens (OIDC Core §2) with the provider's signing keys, in the algorithm the client
 * registered (`id_token_signed_response_alg`) or else the provider's `openid.idTokenSigningAlgorithm`
 * (OIDC Core §3.1.3.7 step 7: the client verifies with the algorithm it registered). Only
 * asymmetric algorithms exist here: an ID token is never unsigned (`alg: none`, OIDC Core §2).
 */
export class IdTokens {
  constructor(
    private readonly ring: KeyRing | null,
    private readonly issuer: string | null,
    private readonly settings: OpenIdSettings,
    private readonly now: () => Date,
  ) {}

  /**
   * Does everything that can fail (the subject, the algorithm, the key) before the caller stores
   * the tokens the ID token goes with, so that a refresh does not spend its refresh token on an
   * answer that then fails. The signer it returns only hashes and signs.
   */
  async prepare(request: IdTokenRequest): Promise<IdTokenSigner> {
    const issuer = this.issuer;
    if (issuer === null) {
      throw new SigningKeyError('signing_issuer_missing', 'an ID token names the issuer as iss (OIDC Core §2), but the provider has no `issuer` option');
    }
    if (this.ring === null) {
      throw new SigningKeyError('signing_storage_unsupported', 'ID tokens are signed with the provider\'s keys, but the storage has no signing-key port (OAuthSigningKeyStorage) to keep keys in');
    }
    const alg = this.algorithmFor(request.client);
    const subject = subjectFor(request.userId, request.client, this.settings.pairwiseSecret);
    const now = this.now();
    // The ring keeps a current key per algorithm; with `openid` on it keeps RS256 and the default one.
    const { key, privateKey } = await this.ring.signingKey(now, alg);
    // Whole seconds: NumericDate (RFC 7519 §2) and what clients compare.
    const issuedAt = Math.floor(now.getTime() / 1000);
    const header = idTokenHeader(alg, key.record.id);
    return (accessToken) => {
      const claims = idTokenClaims({
        issuer,
        subject,
        clientId: request.client.id,
        issuedAt,
        expiresAt: issuedAt + this.settings.idTokenLifetime,
        authTime: request.authentication.authTime,
        nonce: request.nonce,
        acr: request.authentication.acr,
        amr: request.authentication.amr,
        accessTokenHash: atHash(accessToken, alg),
      });
      return signCompactJws(header, claims, alg, privateKey);
    };
  }

  /**
   * The client's registered algorithm, else the provider's. A stored value the kit does not sign
   * with (`none` included) fails the issuance rather than falling back to another algorithm,
   * which the client would reject anyway (OIDC Core §3.1.3.7 step 7).
   */
  algorithmFor(client: Pick<ClientRecord, 'id' | 'idTokenSignedResponseAlg'>): SigningAlgorithm {
    const alg = client.idTokenSignedResponseAlg ?? this.settings.idTokenSigningAlgorithm;
    if (!isSigningAlgorithm(alg)) {
      throw new SigningKeyError('signing_not_configured', `client ${client.id} registered the ID token algorithm ${JSON.stringify(alg)}, which the provider does not sign with`);
    }
    return alg;
  }
}
