/**
 * Deleting a user spends their authorization codes not yet exchanged, as withdrawing their consent
 * does (OIDC Core §3.1.2.4): a code must not outlive the user it was issued to. Memory storage:
 * the rule is the core's.
 */
import test from 'ava';
import { digestCredential } from '../../src/core/provider/opaque-credentials.js';
import { credentialsOf } from '../../src/core/provider/provider-link.js';
import { consentFixture } from './support/consent-fixture.js';

test('OIDC Core §3.1.2.4 — deleting a user spends their codes not yet exchanged, and no other user\'s', async (t) => {
  const { provider, storage } = await consentFixture();
  const alice = await provider.users.create({ username: 'alice', password: 'correct horse battery staple' });
  const bob = await provider.users.create({ username: 'bob', password: 'correct horse battery staple' });
  const client = (await storage.findClient('notes'))!;
  const issue = async (userId: string) =>
    (
      await credentialsOf(provider).issueAuthorizationCode({
        client,
        userId,
        redirectUri: 'https://notes.example/callback',
        scope: ['openid'],
        codeChallenge: null,
        codeChallengeMethod: null,
        nonce: null,
        authentication: { authTime: null, acr: null, amr: null },
      })
    ).code;
  const [alices, bobs] = [await issue(alice.id), await issue(bob.id)];
  t.true(await provider.users.delete(alice.id));
  t.not((await storage.findAuthorizationCode(digestCredential(alices)))?.consumedAt ?? null, null);
  t.is((await storage.findAuthorizationCode(digestCredential(bobs)))?.consumedAt, null);
});
