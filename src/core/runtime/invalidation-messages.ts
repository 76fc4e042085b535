import type { TokenSelector } from '../storage/records.js';
import type { OAuthStorage } from '../storage/storage-port.js';
import { INVALIDATIONS } from './cache-invalidation.js';
import type { ReadCaches } from './read-caches.js';

/**
 * The wire form of one invalidation: which port write happened and the one argument its
 * invalidation needs, e.g. `{"v":1,"o":"9f…","m":"revokeTokens","a":{"userId":"u1"}}`.
 * `o` is the sending provider's origin, so that it can skip its own messages; `m` `"*"` forgets
 * everything. Kept far below PostgreSQL's 8000-byte NOTIFY payload limit.
 */
interface WireMessage {
  v: 1;
  o: string;
  m: string;
  a?: unknown;
}

/** Beyond this, a message says "forget everything" instead (NOTIFY payloads stop at 8000 bytes). */
const MAX_MESSAGE_BYTES = 4000;
const CLEAR_ALL = '*';

/**
 * The methods whose invalidation needs no argument (it forgets a whole cache). Every other one is
 * keyed by its first argument: a `TokenSelector` for `revokeTokens`, an id for the rest (a token
 * row id, a client id, a user id).
 */
const WHOLESALE = new Set<string>(['purgeUnusedClients', 'deleteScope']);
const SELECTOR_KEYS = new Set(['familyId', 'clientId', 'userId', 'authorizationCodeId']);

/** The message telling other processes about `method(args)`, or null when it invalidates nothing. */
export function encodeInvalidation(origin: string, method: keyof OAuthStorage, args: readonly unknown[]): string | null {
  if (INVALIDATIONS[method] === undefined) return null;
  const message: WireMessage = { v: 1, o: origin, m: method };
  const [first] = args;
  if (method === 'revokeTokens') message.a = first;
  else if (!WHOLESALE.has(method)) message.a = String(first);
  const text = JSON.stringify(message);
  return Buffer.byteLength(text) <= MAX_MESSAGE_BYTES ? text : JSON.stringify({ v: 1, o: origin, m: CLEAR_ALL });
}

/** A message as received: whose it is, and what it makes this process's caches forget. */
export interface ReceivedInvalidation {
  /** The sender's origin; undefined when the message was unreadable. */
  origin: string | undefined;
  /** Applies the invalidation (for an unreadable message: forgets everything). */
  apply(caches: ReadCaches): void;
  /** Why the message was not understood, or undefined when it was. */
  malformed: string | undefined;
}

const clearAll = (caches: ReadCaches) => {
  caches.tokens?.clear();
  caches.clients?.clear();
};

/**
 * Reads a message from the channel. Nothing in it is trusted: anything but a well-formed message
 * naming a known invalidation with an argument of the right shape forgets every cached entry —
 * the safe answer to a message that says something changed without saying what.
 */
export function decodeInvalidation(text: string): ReceivedInvalidation {
  const malformed = (why: string): ReceivedInvalidation => ({ origin: undefined, apply: clearAll, malformed: why });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return malformed('not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) return malformed('not an object');
  const { v, o, a } = parsed as Partial<WireMessage>;
  let { m } = parsed as Partial<WireMessage>;
  if (v !== 1 || typeof o !== 'string' || typeof m !== 'string') return malformed('missing v, o or m');
  // Nodes of the previous release name a refresh-token rotation so; it invalidates what a claim does.
  if (m === 'rotateToken') m = 'claimToken';
  if (m === CLEAR_ALL) return { origin: o, apply: clearAll, malformed: undefined };
  const invalidation = Object.hasOwn(INVALIDATIONS, m) ? INVALIDATIONS[m as keyof OAuthStorage] : undefined;
  if (invalidation === undefined) return malformed(`unknown method ${JSON.stringify(m.slice(0, 40))}`);
  if (WHOLESALE.has(m)) return { origin: o, apply: (caches) => invalidation(caches, []), malformed: undefined };
  if (m === 'revokeTokens' ? !isSelector(a) : typeof a !== 'string') {
    return malformed(`${m} without ${m === 'revokeTokens' ? 'a token selector' : 'an id'}`);
  }
  return { origin: o, apply: (caches) => invalidation(caches, [a]), malformed: undefined };
}

function isSelector(value: unknown): value is TokenSelector {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value).sort();
  const strings = keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');
  // One key, or a user and a client together (a consent grant revoked).
  return strings && ((keys.length === 1 && SELECTOR_KEYS.has(keys[0]!)) || (keys.length === 2 && keys[0] === 'clientId' && keys[1] === 'userId'));
}
