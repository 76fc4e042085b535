import test from 'ava';
import { hashPassword, verifyPassword } from '../../src/core/provider/password-hashing.js';

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
