/**
 * Remembered consent covers only what the user approved as a whole (OIDC Core §3.1.2.4): each
 * consent page shows scopes and resources together, so a grant is a product of the two, never a
 * union of scopes from one approval with resources from another.
 */
import test from 'ava';
import { ConsentGrants, mergedApproval } from '../../src/core/provider/openid/consent-grants.js';
import { createTestClock, MemoryStorage } from '../../src/testing/index.js';

const BANK = 'https://bank.example/';
const CALENDAR = 'https://calendar.example/';

async function grantsFor(): Promise<{ grants: ConsentGrants; storage: MemoryStorage }> {
  const storage = new MemoryStorage();
  const now = new Date('2030-01-01T00:00:00Z');
  await storage.insertClient({
    id: 'rp',
    name: 'RP',
    secretHash: null,
    grants: ['authorization_code'],
    redirectUris: ['https://rp.example/cb'],
    scopes: [],
    accessTokenLifetime: null,
    refreshTokenLifetime: null,
    authorizationCodeLifetime: null,
    requirePkce: true,
    allowPlainPkce: false,
    defaultScopes: [],
    allowIntrospection: false,
    postLogoutRedirectUris: [],
    idTokenSignedResponseAlg: null,
    subjectType: 'public',
    sectorIdentifier: null,
    createdAt: now,
    updatedAt: now,
  });
  return { grants: new ConsentGrants(storage, storage, createTestClock().now), storage };
}

test('OIDC Core §3.1.2.4 — read approved for one API and write for another never covers write at the first', async (t) => {
  const { grants } = await grantsFor();
  await grants.remember('alice', 'rp', ['read'], [BANK]);
  await grants.remember('alice', 'rp', ['write'], [CALENDAR]);
  t.false(await grants.covers('alice', 'rp', ['write'], [BANK]));
  t.true(await grants.covers('alice', 'rp', ['write'], [CALENDAR]), 'the latest approval is remembered');
});

test('OIDC Core §3.1.2.4 — approvals for the same resources add up their scopes', async (t) => {
  const { grants } = await grantsFor();
  await grants.remember('alice', 'rp', ['read'], [BANK]);
  await grants.remember('alice', 'rp', ['write'], [BANK]);
  t.true(await grants.covers('alice', 'rp', ['read', 'write'], [BANK]));
});

test('OIDC Core §3.1.2.4 — approvals of the same scopes add up their resources', async (t) => {
  const { grants } = await grantsFor();
  await grants.remember('alice', 'rp', ['read'], [BANK]);
  await grants.remember('alice', 'rp', ['read'], [CALENDAR]);
  t.true(await grants.covers('alice', 'rp', ['read'], [BANK, CALENDAR]));
});

test('OIDC Core §3.1.2.4 — consent for tokens naming no resource does not cover a resource, nor the reverse', async (t) => {
  const { grants } = await grantsFor();
  await grants.remember('alice', 'rp', ['openid', 'read'], []);
  t.false(await grants.covers('alice', 'rp', ['read'], [BANK]));
  const other = await grantsFor();
  await other.grants.remember('alice', 'rp', ['read'], [BANK]);
  t.false(await other.grants.covers('alice', 'rp', ['read'], []));
});

test('OIDC Core §3.1.2.4 — a smaller approval does not shrink a grant that contains it', (t) => {
  const previous = { scope: ['read', 'write'], resources: [BANK, CALENDAR] };
  t.deepEqual(mergedApproval(previous, { scope: ['read'], resources: [BANK] }), previous);
});

test('OIDC Core §3.1.2.4 — a user id with surrounding spaces is never remembered (PAD SPACE collations would file it under another user)', async (t) => {
  const { grants, storage } = await grantsFor();
  await grants.remember('alice ', 'rp', ['read'], []);
  t.is(await storage.findConsentGrant('alice ', 'rp'), null);
  t.false(await grants.covers('alice ', 'rp', ['read'], []));
});

test('OIDC Core §3.1.2.4 — withdrawing consent deletes the grant before it revokes the tokens', async (t) => {
  const { grants, storage } = await grantsFor();
  await grants.remember('alice', 'rp', ['read'], []);
  const order: string[] = [];
  const deleteConsentGrants = storage.deleteConsentGrants.bind(storage);
  const revokeTokens = storage.revokeTokens.bind(storage);
  storage.deleteConsentGrants = async (selector) => (order.push('grant'), deleteConsentGrants(selector));
  storage.revokeTokens = async (selector, now) => (order.push('tokens'), revokeTokens(selector, now));
  t.like(await grants.revoke('alice', 'rp'), { grants: 1 });
  t.deepEqual(order, ['grant', 'tokens']);
});
