import test from 'ava';
import {
  costOf,
  DEFAULT_SCRYPT_COST,
  hashPassword,
  needsRehash,
  unmatchableHash,
  verifyPassword,
} from '../../src/core/provider/password-hashing.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

test('a password hash is the self-describing scrypt$N$r$p$salt$hash string', async (t) => {
  const hash = await hashPassword('secret', CHEAP);
  t.regex(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  t.false(hash.includes('secret'));
});

test('the same password hashes differently each time (random salt)', async (t) => {
  t.not(await hashPassword('secret', CHEAP), await hashPassword('secret', CHEAP));
});

test('a hash verifies its own password and no other', async (t) => {
  const hash = await hashPassword('secret', CHEAP);
  t.true(await verifyPassword('secret', hash));
  t.false(await verifyPassword('Secret', hash));
  t.false(await verifyPassword('', hash));
});

test('a hash keeps verifying after the default cost changes', async (t) => {
  const hash = await hashPassword('secret', { N: 2048, r: 4, p: 1 });
  t.true(await verifyPassword('secret', hash));
});

test('malformed or planted hashes never verify', async (t) => {
  const good = await hashPassword('secret', CHEAP);
  const [, , r, p, salt, key] = good.split('$');
  for (const stored of ['', 'plain', 'secret', `scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`, `scrypt$1000$${r}$${p}$${salt}$${key}`, `bcrypt$1024$${r}$${p}$${salt}$${key}`, `scrypt$1024$${r}$${p}$${salt}$`]) {
    t.false(await verifyPassword('secret', stored), stored);
  }
});

test('the default cost is N=2^17, r=8, p=1, the first scrypt setting of the OWASP Password Storage Cheat Sheet', (t) => {
  t.deepEqual({ ...DEFAULT_SCRYPT_COST }, { N: 2 ** 17, r: 8, p: 1 });
});

test('a hash made at the default cost verifies within node\'s memory bound', async (t) => {
  t.true(await verifyPassword('secret password', await hashPassword('secret password')));
});

test('a hash tells its cost; a malformed one has none', async (t) => {
  t.deepEqual(costOf(await hashPassword('secret', { N: 2048, r: 4, p: 2 })), { N: 2048, r: 4, p: 2 });
  for (const stored of ['', 'plain', `scrypt$${2 ** 30}$8$1$c2FsdHNhbHRzYWx0c2FsdA$${'A'.repeat(43)}`]) t.is(costOf(stored), null, stored);
});

test('a hash needs rehashing when any of N, r, p is below the cost asked for, or it is no scrypt hash of ours', async (t) => {
  const hash = await hashPassword('secret', { N: 2048, r: 8, p: 2 });
  t.false(needsRehash(hash, { N: 2048, r: 8, p: 2 }));
  t.false(needsRehash(hash, { N: 1024, r: 4, p: 1 }));
  t.true(needsRehash(hash, { N: 4096, r: 8, p: 2 }));
  t.true(needsRehash(hash, { N: 2048, r: 16, p: 2 }));
  t.true(needsRehash(hash, { N: 2048, r: 8, p: 3 }));
  t.true(needsRehash(hash, { N: 1024, r: 8, p: 3 }), 'higher N does not make up for lower p');
  t.true(needsRehash('bcrypt$2b$10$abc', { N: 1024, r: 8, p: 1 }));
});

test('an unmatchable hash has the cost asked for and verifies no password', async (t) => {
  const dummy = unmatchableHash(CHEAP);
  t.deepEqual(costOf(dummy), CHEAP);
  for (const password of ['', 'secret', dummy]) t.false(await verifyPassword(password, dummy));
});
