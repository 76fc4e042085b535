/**
 * With the validated-token cache on, an entry past half its age is served and read again behind
 * the request. Nobody waits on those reads, so they gather: the refreshes asked for within a short
 * window go to storage as one lookup (`findAccessTokens`), where one read per token would cost a
 * round trip each. Each refreshed entry is then served for a full bound from its new read.
 */
import test from 'ava';
import { hash, randomBytes } from 'node:crypto';
import { createGuard, OAuthProvider, type OAuthHttpRequest } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';
import { aToken } from '../prisma/support/records.js';

const MAX_AGE_MS = 1000;

async function setup() {
  const memory = new MemoryStorage();
  const lookups: number[] = [];
  const port = new Proxy(memory, {
    get(target, property, receiver) {
      if (property === 'findAccessTokens') {
        return (hashes: readonly string[]) => {
          lookups.push(hashes.length);
          return target.findAccessTokens(hashes);
        };
      }
      const member: unknown = Reflect.get(target, property, receiver);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
  let instant = Date.now();
  const provider = new OAuthProvider(port, { validatedTokenCache: { maxAgeMs: MAX_AGE_MS }, cacheInvalidation: false, now: () => new Date(instant) });
  await provider.scopes.define('read');
  const { client } = await provider.clients.create({ name: 'gather', grants: ['client_credentials'], scopes: ['read'] });
  const tokens: string[] = [];
  for (let n = 0; n < 20; n++) {
    const token = randomBytes(32).toString('base64url');
    const at = new Date(instant);
    const expires = new Date(at.getTime() + 3_600_000);
    await memory.insertTokens([
      aToken(client.id, { accessTokenHash: hash('sha256', token, 'hex'), accessTokenExpiresAt: expires, refreshTokenHash: null, refreshTokenExpiresAt: null, scope: 'read', expiresAt: expires, createdAt: at }),
    ]);
    tokens.push(token);
  }
  const guard = createGuard({ provider });
  const request = (token: string): OAuthHttpRequest => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });
  /** Each token checked in a turn of its own, as requests arriving one by one are. */
  async function checkOneByOne(): Promise<boolean[]> {
    const admitted: boolean[] = [];
    for (const token of tokens) {
      admitted.push((await guard.check(request(token), { scope: ['read'] })).ok);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return admitted;
  }
  return { lookups, tokens, checkOneByOne, advance: (ms: number) => void (instant += ms) };
}

test('refreshes of entries past half their age, asked for one request at a time, go to storage as one lookup', async (t) => {
  const s = await setup();
  t.deepEqual(await s.checkOneByOne(), Array(20).fill(true));
  const misses = s.lookups.length;
  s.advance(MAX_AGE_MS * 0.6);
  t.deepEqual(await s.checkOneByOne(), Array(20).fill(true), 'served from the cache meanwhile');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(s.lookups.slice(misses), [20]);
});

test('a refreshed entry is served for a whole bound from its new read, with no storage call', async (t) => {
  const s = await setup();
  await s.checkOneByOne();
  s.advance(MAX_AGE_MS * 0.6);
  await s.checkOneByOne();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const before = s.lookups.length;
  // 1.0 bound after the first read, 0.4 after the refresh: still in the first half of its new age.
  s.advance(MAX_AGE_MS * 0.4);
  t.deepEqual(await s.checkOneByOne(), Array(20).fill(true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.is(s.lookups.length, before);
});
