import type { KeyObject } from 'node:crypto';
import type { SigningKeyRecord } from '../../storage/records.js';
import type { OAuthSigningKeyStorage } from '../../storage/signing-key-port.js';
import { generateSigningKeyPair, importPrivateKey, parsePublicJwk, type PublicSigningJwk, type SigningAlgorithm } from './key-pair.js';
import { isPublishedAt, KEY_RING_MAX_AGE_SECONDS, signingKeyAt, signingKeysAt } from './key-schedule.js';
import type { OperatorKeys } from './operator-key.js';
import { sealingKeyOf, sealPrivateKey, unsealPrivateKey } from './sealed-private-key.js';
import { SigningKeyError } from './signing-key-error.js';

/** A stored key whose public half was read and checked. */
export interface RingKey {
  readonly record: SigningKeyRecord;
  readonly publicJwk: PublicSigningJwk;
}

/**
 * The keys of `records` whose public half reads as a key the kit signs with; each other one is
 * reported (`SigningKeyError` `signing_key_unreadable`) and left out: one damaged row must not
 * take the JWKS and every other key down with it.
 */
export function readableKeys(records: readonly SigningKeyRecord[], report: (error: unknown) => void): RingKey[] {
  const keys: RingKey[] = [];
  for (const record of records) {
    try {
      keys.push({ record, publicJwk: parsePublicJwk(record.publicJwk, record.id, record.alg) });
    } catch (error) {
      report(new SigningKeyError('signing_key_unreadable', `signing key ${record.id} is left out of the JWKS and never signs: ${(error as Error).message}`, { cause: error }));
    }
  }
  return keys;
}

/** The key that signs now for its algorithm, ready to sign. */
export interface ActiveSigningKey {
  readonly key: RingKey;
  readonly privateKey: KeyObject;
}

/** What a key ring works with. */
export interface KeyRingSettings {
  /** The operator keys private halves are sealed under; null when the provider cannot sign. */
  operatorKeys: OperatorKeys | null;
  /** The algorithm {@link KeyRing.signingKey} signs with when none is named (that of JWT access tokens). */
  algorithm: SigningAlgorithm;
  /**
   * The algorithms the ring keeps a current key for, `algorithm` among them: each has a schedule of
   * its own, and only these sign. A published key of another algorithm (one no longer configured)
   * stays in the JWKS until it expires, and never signs.
   */
  algorithms: readonly SigningAlgorithm[];
  /** Told about stored keys that cannot be read (they are left out of the JWKS and never sign). */
  report: (error: unknown) => void;
}

/**
 * One process's view of the signing keys: the published keys, read from storage on first use and
 * again once the copy is {@link KEY_RING_MAX_AGE_SECONDS} old (or at once after a rotation through
 * this provider, which calls {@link invalidate}); the key that signs at an instant for each
 * configured algorithm (access tokens in one, ID tokens perhaps in others: OIDC Core §15.1 asks an
 * OpenID provider for RS256); and the private keys, decrypted once each and kept in memory only.
 * Concurrent readers share one read.
 */
export class KeyRing {
  #copy: { keys: readonly RingKey[]; loadedAtMs: number } | null = null;
  #loading: Promise<readonly RingKey[]> | null = null;
  readonly #creating = new Map<SigningAlgorithm, Promise<void>>();
  readonly #privateKeys = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly storage: OAuthSigningKeyStorage,
    private readonly settings: KeyRingSettings,
  ) {}

  /** Whether the ring can create keys and sign: the provider has an operator key. */
  get canSign(): boolean {
    return this.settings.operatorKeys !== null;
  }

  /** The algorithm of JWT access tokens: the one {@link signingKey} uses when none is named. */
  get algorithm(): SigningAlgorithm {
    return this.settings.algorithm;
  }

  /** The algorithms the ring keeps a current key for (the access tokens' first). */
  get algorithms(): readonly SigningAlgorithm[] {
    return this.settings.algorithms;
  }

  /** Forgets the copy: the next use reads the keys again. */
  invalidate(): void {
    this.#copy = null;
    this.#loading = null;
  }

  /** The keys published at `now`, of every algorithm (the JWKS), in the order they sign (by `activatesAt`). */
  async published(now: Date): Promise<readonly RingKey[]> {
    const keys = await this.#keys(now);
    return keys.filter((key) => isPublishedAt(key.record, now));
  }

  /**
   * The key of `alg` (default: {@link algorithm}) that signs at `now`, with its private key. When
   * none does (no key of that algorithm was ever created, or every one was removed by hand),
   * creates one that signs at once, after reading the keys again in case another process just did.
   * Throws {@link SigningKeyError} `signing_algorithm_not_configured` for an algorithm the ring
   * keeps no key for.
   */
  async signingKey(now: Date, alg: SigningAlgorithm = this.settings.algorithm): Promise<ActiveSigningKey> {
    const key = await this.ensureSigningKey(now, alg);
    return { key, privateKey: await this.#privateKeyOf(key) };
  }

  /** The key of `alg` that signs at `now`, created as {@link signingKey} says when there is none; nothing is decrypted. */
  async ensureSigningKey(now: Date, alg: SigningAlgorithm = this.settings.algorithm): Promise<RingKey> {
    if (!this.settings.algorithms.includes(alg)) {
      throw new SigningKeyError(
        'signing_algorithm_not_configured',
        `no key signs with ${alg}: the provider keeps keys for ${this.settings.algorithms.join(', ')} (signingKeys.algorithm and signingKeys.algorithms; openid adds its ID token algorithm and RS256)`,
      );
    }
    let key = signingKeyOf(await this.published(now), alg, now);
    if (key === null) {
      await this.#createFirstKey(now, alg);
      key = signingKeyOf(await this.published(now), alg, now);
      if (key === null) throw new Error(`no ${alg} signing key was found right after one was created: check the clock`);
    }
    return key;
  }

  /** The key of each configured algorithm that signs at `now`, each created as {@link signingKey} says when there is none. */
  async ensureSigningKeys(now: Date): Promise<RingKey[]> {
    const keys: RingKey[] = [];
    for (const alg of this.settings.algorithms) keys.push(await this.ensureSigningKey(now, alg));
    return keys;
  }

  /**
   * Decrypts every key that signs now or will (the signing key of each configured algorithm and
   * those published ahead), so that a wrong operator key or a damaged key fails here, at start-up,
   * rather than at the first token. Creates nothing. Returns how many keys were checked.
   */
  async verify(now: Date): Promise<number> {
    this.invalidate();
    const keys = await this.published(now);
    const signing = new Set([...signingKeysAt(keys, now)].filter(([alg]) => (this.settings.algorithms as readonly string[]).includes(alg)).map(([, key]) => key));
    const usable = keys.filter((key) => signing.has(key) || key.record.activatesAt > now);
    for (const key of usable) await this.#privateKeyOf(key);
    return usable.length;
  }

  /**
   * Throws {@link SigningKeyError} `signing_encryption_key_mismatch` when a key that signs at `now`
   * or will is sealed under an operator key this provider does not hold: a rotation by a provider
   * configured with a wrong key would store a key no server can use. Reads headers only, so a
   * damaged key (`signing_key_unreadable`), which a rotation replaces, does not stop it.
   */
  assertOperatorKeyHolds(keys: readonly SigningKeyRecord[], now: Date): void {
    const operatorKeys = this.#operatorKeys('create a signing key');
    const signing = new Set([...signingKeysAt(keys.map((record) => ({ record })), now).values()].map((key) => key.record));
    for (const record of keys) {
      if (!signing.has(record) && record.activatesAt <= now) continue;
      try {
        sealingKeyOf(record.privateKeyEncrypted, record.id, operatorKeys);
      } catch (error) {
        if (error instanceof SigningKeyError && error.code === 'signing_encryption_key_mismatch') throw error;
      }
    }
  }

  /**
   * Generates a key pair of `alg`, seals its private half under the current operator key and
   * stores it, signing from `activatesAt`. The ring reads the keys again on its next use.
   */
  async create(alg: SigningAlgorithm, activatesAt: Date, now: Date): Promise<SigningKeyRecord> {
    const operatorKeys = this.#operatorKeys('create a signing key');
    const pair = generateSigningKeyPair(alg);
    const record: SigningKeyRecord = {
      id: pair.id,
      alg,
      publicJwk: JSON.stringify(pair.publicJwk),
      privateKeyEncrypted: await sealPrivateKey(pair.privateJwk, operatorKeys.current),
      activatesAt,
      retiresAt: null,
      expiresAt: null,
      createdAt: now,
    };
    try {
      await this.storage.insertSigningKey(record);
    } finally {
      this.invalidate();
    }
    return record;
  }

  async #keys(now: Date): Promise<readonly RingKey[]> {
    const nowMs = now.getTime();
    if (this.#copy !== null && Math.abs(nowMs - this.#copy.loadedAtMs) < KEY_RING_MAX_AGE_SECONDS * 1000) return this.#copy.keys;
    if (this.#loading === null) {
      const loading = this.#load(now).then(
        (keys) => {
          if (this.#loading === loading) {
            this.#copy = { keys, loadedAtMs: nowMs };
            this.#loading = null;
          }
          return keys;
        },
        (error: unknown) => {
          if (this.#loading === loading) this.#loading = null;
          throw error;
        },
      );
      this.#loading = loading;
    }
    return this.#loading;
  }

  async #load(now: Date): Promise<readonly RingKey[]> {
    return readableKeys(await this.storage.listSigningKeys(now), this.settings.report);
  }

  /** One creation at a time per process and algorithm; others wait for it and then read the keys again. */
  async #createFirstKey(now: Date, alg: SigningAlgorithm): Promise<void> {
    let creating = this.#creating.get(alg);
    if (creating === undefined) {
      creating = (async () => {
        try {
          this.invalidate();
          if (signingKeyOf(await this.published(now), alg, now) === null) await this.create(alg, now, now);
        } finally {
          this.#creating.delete(alg);
        }
      })();
      this.#creating.set(alg, creating);
    }
    await creating;
  }

  /** The key's private half, decrypted on first use; a failure is not remembered (the next use tries again). */
  #privateKeyOf(key: RingKey): Promise<KeyObject> {
    const cached = this.#privateKeys.get(key.record.id);
    if (cached !== undefined) return cached;
    const operatorKeys = this.#operatorKeys('sign with a key');
    const decrypting = (async () => {
      const privateJwk = await unsealPrivateKey(key.record.privateKeyEncrypted, key.record.id, operatorKeys);
      try {
        return importPrivateKey(privateJwk, key.publicJwk);
      } catch (error) {
        throw new SigningKeyError(
          'signing_key_unreadable',
          `signing key ${key.record.id} cannot be used: ${(error as Error).message}. Rotate the signing keys (oauth2-kit keys rotate) to replace it`,
          { cause: error },
        );
      }
    })();
    this.#privateKeys.set(key.record.id, decrypting);
    decrypting.catch(() => {
      if (this.#privateKeys.get(key.record.id) === decrypting) this.#privateKeys.delete(key.record.id);
    });
    return decrypting;
  }

  #operatorKeys(purpose: string): OperatorKeys {
    const operatorKeys = this.settings.operatorKeys;
    if (operatorKeys === null) {
      throw new SigningKeyError(
        'signing_not_configured',
        `cannot ${purpose}: the provider has no signingKeys.encryptionKey (the operator key private signing keys are encrypted under; ` +
          'the CLI reads OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY)',
      );
    }
    return operatorKeys;
  }
}

/** The key of `alg` among `keys` that signs at `now` (the schedule of one algorithm), or null. */
function signingKeyOf(keys: readonly RingKey[], alg: SigningAlgorithm, now: Date): RingKey | null {
  return signingKeyAt(
    keys.filter((key) => key.publicJwk.alg === alg),
    now,
  );
}
