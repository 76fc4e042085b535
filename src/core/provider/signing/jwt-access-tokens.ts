import type { ResourceRecord } from '../../storage/records.js';
import { MAX_ACCESS_TOKEN_LENGTH } from '../input-limits.js';
import { signCompactJws } from './compact-jws.js';
import { jwtAccessTokenClaims, jwtAccessTokenHeader } from './jwt-access-token-claims.js';
import type { KeyRing } from './key-ring.js';
import { SigningKeyError } from './signing-key-error.js';
import type { SigningSettings } from './signing-options.js';

/** What one JWT access token is minted from. */
export interface JwtMintInput {
  /** The issuance's id (`jti`). */
  issuanceId: string;
  clientId: string;
  userId: string | null;
  scope: readonly string[];
  /** The token's resources, at least one of them asking for JWT access tokens. */
  resources: readonly ResourceRecord[];
  now: Date;
  /** The lifetime the token would have as an opaque one (the client's or server's, bounded by its resources'), in seconds. */
  lifetime: number;
}

/** A minted token and the instant its `exp` names, which is the one stored. */
export interface MintedJwt {
  token: string;
  expiresAt: Date;
}

/**
 * Mints JWT access tokens (RFC 9068) for the resources that ask for them (`tokenFormat: 'jwt'`),
 * signed with the key the ring says signs now. A JWT lives the shortest of the server's
 * `jwtAccessTokenLifetime` (300 s by default) and what it would have lived as an opaque token: a
 * resource server that verifies it locally accepts it until `exp`, whatever is revoked meanwhile.
 */
export class JwtAccessTokens {
  constructor(
    private readonly ring: KeyRing | null,
    private readonly settings: SigningSettings,
  ) {}

  async mint(input: JwtMintInput): Promise<MintedJwt> {
    const resource = input.resources.find((candidate) => candidate.tokenFormat === 'jwt')?.id ?? input.resources[0]?.id;
    const asked = `resource ${resource} is issued JWT access tokens (RFC 9068)`;
    if (this.ring === null) {
      throw new SigningKeyError('signing_storage_unsupported', `${asked}, but the storage has no signing-key port (OAuthSigningKeyStorage) to keep keys in`);
    }
    const issuer = this.settings.issuer;
    if (issuer === null) {
      throw new SigningKeyError(
        'signing_issuer_missing',
        `${asked}, but the provider has no \`issuer\` option to name in their iss claim: build it with the issuer identifier its metadata announces`,
      );
    }
    if (!this.ring.canSign) {
      throw new SigningKeyError(
        'signing_not_configured',
        `${asked}, but the provider has no signingKeys.encryptionKey to create and use signing keys with: configure one (32 random bytes, base64url)`,
      );
    }
    const { key, privateKey } = await this.ring.signingKey(input.now);
    // Whole seconds, so that `exp` is the very instant stored and introspected.
    const issuedAt = Math.floor(input.now.getTime() / 1000);
    const expiresAt = issuedAt + Math.min(this.settings.jwtAccessTokenLifetime, input.lifetime);
    const claims = jwtAccessTokenClaims({
      issuer,
      issuanceId: input.issuanceId,
      clientId: input.clientId,
      userId: input.userId,
      scope: input.scope,
      audience: input.resources.map((candidate) => candidate.id),
      issuedAt,
      expiresAt,
    });
    const token = signCompactJws(jwtAccessTokenHeader(key.publicJwk.alg, key.record.id), claims, key.publicJwk.alg, privateKey);
    // Bounded by the column and option sizes (see MAX_ACCESS_TOKEN_LENGTH); a longer one could never be looked up.
    if (token.length > MAX_ACCESS_TOKEN_LENGTH) throw new Error(`a JWT access token of ${token.length} characters exceeds ${MAX_ACCESS_TOKEN_LENGTH}`);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }
}
