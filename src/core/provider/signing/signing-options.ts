import { ValidationError } from '../../errors.js';
import { parseIssuerOption } from '../issuer-option.js';
import { isSigningAlgorithm, SIGNING_ALGORITHMS, type SigningAlgorithm } from './key-pair.js';
import { DEFAULT_JWT_ACCESS_TOKEN_LIFETIME, MAX_JWT_ACCESS_TOKEN_LIFETIME } from './key-schedule.js';
import { operatorKeysOf, parseOperatorKey, type OperatorKeys } from './operator-key.js';

/** The `signingKeys` provider option: what the provider needs to create and use signing keys. */
export interface SigningKeyOptions {
  /**
   * The operator key: 32 random bytes, base64url without padding (43 characters), from a secret
   * store, the same in every process and the CLI on one database (`generateSigningKeyEncryptionKey()`
   * makes one). Private signing keys are encrypted under it (JWE `dir`, `A256GCM`) before they are
   * stored; losing it loses the keys (rotate to make new ones), leaking it leaks them.
   */
  encryptionKey: string;
  /**
   * Operator keys used before `encryptionKey`, still accepted to decrypt the keys they sealed, so
   * that the operator key can be changed without downtime: configure the new key with the old one
   * here, rotate the signing keys, and drop the old one once the keys it sealed have left the JWKS
   * (`keys list`). New keys are always sealed under `encryptionKey`.
   */
  previousEncryptionKeys?: string[];
  /** The algorithm JWT access tokens are signed with: `ES256` (default), `EdDSA` or `RS256`. */
  algorithm?: SigningAlgorithm;
  /**
   * Further algorithms to keep a current key for, each rotated on a schedule of its own (e.g. for
   * ID tokens of clients that register `id_token_signed_response_alg`). The `openid` option adds
   * its `idTokenSigningAlgorithm` and `RS256` (OIDC Core §15.1) itself. Default none.
   */
  algorithms?: SigningAlgorithm[];
}

/** What the provider knows of JWT access tokens, checked. */
export interface SigningSettings {
  /** `iss` of JWT access tokens; null: none configured (a JWT cannot be issued). */
  issuer: string | null;
  /** Null: no `signingKeys` (no key can be created or used). */
  operatorKeys: OperatorKeys | null;
  /** The algorithm of JWT access tokens. */
  algorithm: SigningAlgorithm;
  /** The algorithms the provider keeps a current key for, `algorithm` first, each once. */
  algorithms: readonly SigningAlgorithm[];
  /** The upper bound on a JWT access token's lifetime, in seconds. */
  jwtAccessTokenLifetime: number;
}

/** The options these settings come from (a part of `OAuthProviderOptions`). */
export interface SigningOptionFields {
  issuer?: string;
  signingKeys?: SigningKeyOptions;
  jwtAccessTokenLifetime?: number;
}

/** Checks the fields; throws {@link ValidationError} naming the first one refused (never quoting a key). */
export function resolveSigningSettings(options: SigningOptionFields): SigningSettings {
  const issuer = options.issuer === undefined ? null : parseIssuerOption(options.issuer);
  const lifetime = options.jwtAccessTokenLifetime ?? DEFAULT_JWT_ACCESS_TOKEN_LIFETIME;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_JWT_ACCESS_TOKEN_LIFETIME) {
    throw new ValidationError('jwtAccessTokenLifetime', `must be a whole number of seconds between 1 and ${MAX_JWT_ACCESS_TOKEN_LIFETIME}`);
  }
  const signing = options.signingKeys;
  if (signing === undefined) return { issuer, operatorKeys: null, algorithm: 'ES256', algorithms: ['ES256'], jwtAccessTokenLifetime: lifetime };
  if (typeof signing !== 'object' || signing === null || Array.isArray(signing)) {
    throw new ValidationError('signingKeys', 'must be an object: { encryptionKey, previousEncryptionKeys?, algorithm?, algorithms? }');
  }
  for (const field of Object.keys(signing)) {
    if (!['encryptionKey', 'previousEncryptionKeys', 'algorithm', 'algorithms'].includes(field)) {
      throw new ValidationError(`signingKeys.${field}`, 'is not an option of signingKeys (encryptionKey, previousEncryptionKeys, algorithm, algorithms)');
    }
  }
  const current = parseOperatorKey(signing.encryptionKey, 'signingKeys.encryptionKey');
  const previousList = signing.previousEncryptionKeys ?? [];
  if (!Array.isArray(previousList)) throw new ValidationError('signingKeys.previousEncryptionKeys', 'must be a list of keys');
  const previous = previousList.map((key, i) => parseOperatorKey(key, `signingKeys.previousEncryptionKeys[${i}]`));
  const algorithm = signing.algorithm ?? 'ES256';
  if (!isSigningAlgorithm(algorithm)) throw new ValidationError('signingKeys.algorithm', `must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  const extra: unknown = signing.algorithms ?? [];
  if (!Array.isArray(extra)) throw new ValidationError('signingKeys.algorithms', `must be a list of algorithms (${SIGNING_ALGORITHMS.join(', ')})`);
  extra.forEach((alg: unknown, i) => {
    if (!isSigningAlgorithm(alg)) throw new ValidationError(`signingKeys.algorithms[${i}]`, `must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  });
  const algorithms = withAlgorithms([algorithm], extra as SigningAlgorithm[]);
  return { issuer, operatorKeys: operatorKeysOf(current, previous), algorithm, algorithms, jwtAccessTokenLifetime: lifetime };
}

/** `algorithms` and then those of `more` it lacks, in order, each once. */
export function withAlgorithms(algorithms: readonly SigningAlgorithm[], more: readonly SigningAlgorithm[]): readonly SigningAlgorithm[] {
  return Object.freeze([...new Set([...algorithms, ...more])]);
}
