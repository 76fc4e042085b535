import { ValidationError } from '../../errors.js';
import { addSeconds } from '../lifetimes.js';
import type { OAuthSigningKeyStorage } from '../../storage/signing-key-port.js';
import type { SigningKeyRecord } from '../../storage/records.js';
import { isSigningAlgorithm, SIGNING_ALGORITHMS, type PublicSigningJwk, type SigningAlgorithm } from './key-pair.js';
import { readableKeys, type KeyRing, type RingKey } from './key-ring.js';
import {
  DEFAULT_PUBLISH_AHEAD_SECONDS,
  KEY_RING_MAX_AGE_SECONDS,
  MAX_PUBLISH_AHEAD_SECONDS,
  RETIRED_KEY_PUBLICATION_SECONDS,
  signingKeysAt,
  statusAt,
  type SigningKeyStatus,
} from './key-schedule.js';

/** A signing key as the management API shows it: its public half and its schedule, never its private half. */
export interface SigningKeyView {
  /** The key id, `kid` in the JWKS and in every token it signs. */
  id: string;
  alg: SigningAlgorithm;
  /** What the key does now, within the schedule of its algorithm (each algorithm has a key that signs). */
  status: SigningKeyStatus;
  /** The public key as the JWKS publishes it. */
  publicJwk: PublicSigningJwk;
  /** When it starts (or started) signing. */
  activatesAt: Date;
  /** When a newer key takes (or took) over; null while it is the newest. */
  retiresAt: Date | null;
  /** When it leaves the JWKS; null while not retired. */
  expiresAt: Date | null;
  createdAt: Date;
}

/** A JSON Web Key Set (RFC 7517 §5) of public signing keys. */
export interface JsonWebKeySet {
  keys: PublicSigningJwk[];
}

/** Options of {@link SigningKeyRegistry.rotate}. */
export interface RotateSigningKeyOptions {
  /**
   * Seconds between now and the new key's first signature, during which it is only published, so
   * that every verifier can learn it before it meets a token signed with it. Default 660 (the
   * JWKS's `max-age` of 600 s plus the minute other server processes may take to read the keys
   * again); 0 to sign with it at once; at most 604800 (7 days). Ignored for the very first key
   * (no key published yet), which signs at once: nothing is signed meanwhile.
   */
  publishAheadSeconds?: number;
  /**
   * Rotates the key of this algorithm only, and touches no other: it may be one the provider is not
   * configured for, to publish a key ahead of configuring it. Default: every algorithm the provider
   * keeps keys for (`signingKeys.algorithm`, `signingKeys.algorithms`, and with `openid` its ID
   * token algorithm and RS256).
   */
  algorithm?: SigningAlgorithm;
}

/** What a rotation did. */
export interface SigningKeyRotation {
  /** The new key: of the algorithm rotated, or, when every one was, of JWT access tokens' (`signingKeys.algorithm`). */
  key: SigningKeyView;
  /** Every new key, one per algorithm rotated, in the order of the provider's algorithms. */
  keys: SigningKeyView[];
  /**
   * How many older keys retire when the new key of their algorithm activates (0 for the first
   * key of an algorithm): they stop signing at its `activatesAt` and stay published 61 minutes
   * longer (the longest a JWT access token lives, 60 minutes, plus the minute other processes may
   * take to learn of the rotation). When every algorithm is rotated, keys of an algorithm the
   * provider is no longer configured for retire then too, and are counted here.
   */
  retired: number;
  /**
   * How many keys published ahead by earlier rotations, due to sign after the new key, were
   * retired before they ever sign. Each leaves the JWKS at once, or 61 minutes later when it was
   * due within the minute another process may still sign with it.
   */
  cancelled: number;
}

/**
 * The management API of signing keys (`provider.keys`): the keys JWT access tokens (RFC 9068) are
 * signed with, and the JWK Set (RFC 7517) resource servers verify them with.
 *
 * With a storage that has no signing-key port, every method throws a `TypeError` saying so.
 * `rotate()` also needs `signingKeys.encryptionKey` (else `SigningKeyError`
 * `signing_not_configured`); `list()` and `jwks()` read public halves only and need no key.
 */
export class SigningKeyRegistry {
  /** @internal */
  constructor(
    private readonly ring: KeyRing | null,
    private readonly storage: OAuthSigningKeyStorage | null,
    private readonly settings: { now: () => Date; report: (error: unknown) => void },
  ) {}

  /** Whether the storage keeps signing keys (has the signing-key port); without, every method throws. */
  get storesKeys(): boolean {
    return this.ring !== null;
  }

  /**
   * Whether this provider can sign JWT access tokens: its storage keeps signing keys and it has an
   * operator key (`signingKeys.encryptionKey`). The Koa router serves the JWKS, and its metadata
   * names `jwks_uri`, only then.
   */
  get canSign(): boolean {
    return this.ring !== null && this.ring.canSign;
  }

  /**
   * For each algorithm rotated (every configured one, or `algorithm`), creates a key that is
   * published at once and signs from `now + publishAheadSeconds` (at once for the first key of its
   * algorithm); every older key of that algorithm that has not retired retires at that instant and
   * leaves the JWKS 61 minutes later. Each algorithm keeps a schedule of its own: rotating one
   * neither retires nor replaces another's key. When every algorithm is rotated, the keys of
   * algorithms the provider no longer keeps (they never sign) retire at that instant too. Tokens signed before keep verifying until they expire. The newest
   * rotation wins: a key an earlier rotation published ahead signs until the new key's activation
   * if due before it, and never if due after it (it would take over from the new key, which no
   * rotation would then retire).
   *
   * A rotation withdraws no key: a key whose private half leaked stays published, and verifiers
   * accept the tokens it signs, until it leaves the JWKS 61 minutes after the new key activates.
   *
   * Refused with `SigningKeyError` `signing_encryption_key_mismatch`, before anything is written,
   * when the keys that sign now or will are sealed under an operator key this provider does not
   * hold: a new key sealed under a mistyped key would stop every server at its activation.
   */
  async rotate(options: RotateSigningKeyOptions = {}): Promise<SigningKeyRotation> {
    const { ring, storage } = this.#port();
    const publishAhead = options.publishAheadSeconds ?? DEFAULT_PUBLISH_AHEAD_SECONDS;
    if (!Number.isInteger(publishAhead) || publishAhead < 0 || publishAhead > MAX_PUBLISH_AHEAD_SECONDS) {
      throw new ValidationError('publishAheadSeconds', `must be a whole number of seconds between 0 and ${MAX_PUBLISH_AHEAD_SECONDS}`);
    }
    if (options.algorithm !== undefined && !isSigningAlgorithm(options.algorithm)) {
      throw new ValidationError('algorithm', `must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
    }
    const algorithms = options.algorithm === undefined ? ring.algorithms : [options.algorithm];
    const now = this.settings.now();
    const published = await storage.listSigningKeys(now);
    ring.assertOperatorKeyHolds(published, now);
    const created: SigningKeyRecord[] = [];
    for (const alg of algorithms) {
      const ofAlg = published.filter((key) => key.alg === alg);
      let activatesAt = ofAlg.length === 0 ? now : addSeconds(now, publishAhead);
      // Two keys of one algorithm activating at one instant would leave the older unretired
      // ("activated before") and the choice between them to their ids: the new key activates a
      // millisecond later instead.
      while (ofAlg.some((key) => key.activatesAt.getTime() === activatesAt.getTime())) activatesAt = new Date(activatesAt.getTime() + 1);
      created.push(await ring.create(alg, activatesAt, now));
    }
    // Written after the new keys, so that some key of each algorithm signs at every instant, even
    // if this fails. Read again so that a key another process created meanwhile retires too.
    const current = await storage.listSigningKeys(now);
    const newIds = new Set(created.map((record) => record.id));
    let retired = 0;
    let cancelled = 0;
    for (const record of created) {
      const handover = record.activatesAt;
      // With keys of this algorithm only (one algorithm configured: the usual case), one statement
      // retires them all, a key another process is inserting meanwhile included. A key of another
      // algorithm inserted in between would retire too, at the handover and 61 minutes published:
      // its ring then makes the next one, and nothing is withdrawn early.
      const single = current.every((key) => key.alg === record.alg);
      if (single && current.some((key) => key.retiresAt === null && key.activatesAt < handover && !newIds.has(key.id))) {
        retired += await storage.retireSigningKeys(handover, handover, addSeconds(handover, RETIRED_KEY_PUBLICATION_SECONDS));
      }
      for (const older of current.filter((key) => key.alg === record.alg && key.retiresAt === null && !newIds.has(key.id))) {
        if (older.activatesAt < handover) {
          if (single) continue;
          if (await storage.retireSigningKeyById(older.id, handover, addSeconds(handover, RETIRED_KEY_PUBLICATION_SECONDS))) retired += 1;
        } else if (await storage.retireSigningKeyById(older.id, now, cancelledKeyExpiry(older, now))) {
          cancelled += 1;
        }
      }
    }
    if (options.algorithm === undefined) {
      // A process still configured for an algorithm dropped here may sign with its key until the
      // handover, and its tokens verify until the key leaves the JWKS: never earlier than 61 minutes on.
      const handover = addSeconds(now, publishAhead);
      for (const dropped of current.filter((key) => key.retiresAt === null && !(algorithms as readonly string[]).includes(key.alg))) {
        if (await storage.retireSigningKeyById(dropped.id, handover, addSeconds(handover, RETIRED_KEY_PUBLICATION_SECONDS))) retired += 1;
      }
    }
    ring.invalidate();
    const keys = this.#views(created, now);
    const key = keys.find((view) => view.alg === ring.algorithm) ?? keys[0];
    if (key === undefined || keys.length !== created.length) throw new Error('the new signing key could not be read back');
    return { key, keys, retired, cancelled };
  }

  /** The published keys (pending, signing, and retired ones until they leave the JWKS), by activation; read from storage now. */
  async list(): Promise<SigningKeyView[]> {
    const { storage } = this.#port();
    const now = this.settings.now();
    return this.#views(await storage.listSigningKeys(now), now);
  }

  /**
   * The JWK Set of the published keys of every algorithm (RFC 7517 §5): public members, `kid`,
   * `alg` and `use: "sig"` only; the signing keys first (JWT access tokens' algorithm first), then
   * the others newest first. What the JWKS endpoint serves, from this process's copy of the keys
   * (at most a minute old). When the provider can sign and no key of a configured algorithm signs
   * yet, its first one is created, so that no verifier caches a set without it.
   */
  async jwks(): Promise<JsonWebKeySet> {
    const { ring } = this.#port();
    const now = this.settings.now();
    // Public halves only: a wrong operator key does not keep verifiers from the keys.
    if (ring.canSign) await ring.ensureSigningKeys(now);
    const keys = await ring.published(now);
    const signing = signingKeysAt(keys, now);
    const rank = (key: RingKey): number => {
      if (signing.get(key.record.alg) !== key) return ring.algorithms.length + 1;
      const index = (ring.algorithms as readonly string[]).indexOf(key.record.alg);
      return index < 0 ? ring.algorithms.length : index;
    };
    const ordered = [...keys].sort((a, b) => rank(a) - rank(b) || b.record.activatesAt.getTime() - a.record.activatesAt.getTime());
    return { keys: ordered.map((key) => ({ ...key.publicJwk })) };
  }

  #views(records: readonly SigningKeyRecord[], now: Date): SigningKeyView[] {
    const keys = readableKeys(records, this.settings.report);
    const signing = signingKeysAt(keys, now);
    return keys.map(({ record, publicJwk }) => ({
      id: record.id,
      alg: publicJwk.alg,
      status: statusAt(record, signing.get(record.alg)?.record ?? null, now),
      publicJwk: { ...publicJwk },
      activatesAt: new Date(record.activatesAt),
      retiresAt: record.retiresAt && new Date(record.retiresAt),
      expiresAt: record.expiresAt && new Date(record.expiresAt),
      createdAt: new Date(record.createdAt),
    }));
  }

  #port(): { ring: KeyRing; storage: OAuthSigningKeyStorage } {
    if (this.ring === null || this.storage === null) {
      throw new TypeError(
        'this storage has no signing-key port (OAuthSigningKeyStorage: listSigningKeys, insertSigningKey, retireSigningKeys, retireSigningKeyById, purgeSigningKeys), ' +
          'so it keeps no signing keys and no resource can be issued JWT access tokens',
      );
    }
    return { ring: this.ring, storage: this.storage };
  }
}

/**
 * When a key retired before it ever signed leaves the JWKS: at once, unless it was due to sign
 * within the minute a process with an older copy of the keys may sign with it; then as a retired
 * key does, once that process's last token has expired.
 */
function cancelledKeyExpiry(key: SigningKeyRecord, now: Date): Date {
  const usable = key.activatesAt.getTime() < addSeconds(now, KEY_RING_MAX_AGE_SECONDS).getTime();
  return usable ? addSeconds(now, RETIRED_KEY_PUBLICATION_SECONDS) : now;
}
