/**
 * Expired sign-in sessions are housekeeping: `purgeExpired()` deletes them with the expired tokens
 * and codes, and keeps the live ones.
 */
import { createHash } from 'node:crypto';
import test from 'ava';
import { generateSigningKeyEncryptionKey, OAuthProvider } from '../../src/core/index.js';
import { credentialsOf } from '../../src/core/provider/provider-link.js';
import { createTestClock, MemoryStorage } from '../../src/testing/index.js';

test('purgeExpired deletes the sign-in sessions past their expiry and keeps the live ones', async (t) => {
  const clock = createTestClock();
  const storage = new MemoryStorage();
  const provider = new OAuthProvider(storage, {
    issuer: 'https://login.example',
    signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() },
    openid: { sessionLifetime: 3600 },
    now: clock.now,
  });
  const sessions = credentialsOf(provider).sessions;
  const old = await sessions.begin('alice', { amr: ['pwd'] });
  clock.advance(1800);
  const recent = await sessions.begin('bob', { amr: ['pwd'] });
  clock.advance(2400);

  const purged = await provider.purgeExpired();

  t.is(purged.sessions, 1);
  t.is(await storage.findSession(digestOf(old!.secret)), null);
  t.not(await storage.findSession(digestOf(recent!.secret)), null);
});

function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
