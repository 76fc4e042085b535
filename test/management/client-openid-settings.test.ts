/**
 * The OpenID Connect settings of an operator's client through `provider.clients`: post-logout
 * redirect URIs (RP-Initiated Logout §3.1), the ID token algorithm (OpenID Connect Registration
 * §2), the subject type and the sector (OIDC Core §8). Memory storage: the rules are the core's.
 */
import test from 'ava';
import { generateSigningKeyEncryptionKey, OAuthProvider, ValidationError, type NewClientInput } from '../../src/core/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

const provider = () => new OAuthProvider(new MemoryStorage());
const codeClient = (overrides: Partial<NewClientInput> = {}): NewClientInput => ({
  name: 'Relying party',
  grants: ['authorization_code'],
  redirectUris: ['https://rp.example/callback'],
  ...overrides,
});

test('a client is created with its post-logout redirect URIs, ID token algorithm, subject type and sector, and get and list show them', async (t) => {
  const clients = provider().clients;
  const { client } = await clients.create(
    codeClient({
      id: 'rp',
      redirectUris: ['https://rp.example/callback', 'https://www.rp.example/callback'],
      postLogoutRedirectUris: ['https://rp.example/signed-out', 'com.example.app:/signed-out'],
      idTokenSignedResponseAlg: 'RS256',
      subjectType: 'pairwise',
      sectorIdentifier: 'rp.example',
    }),
  );
  const expected = {
    postLogoutRedirectUris: ['https://rp.example/signed-out', 'com.example.app:/signed-out'],
    idTokenSignedResponseAlg: 'RS256',
    subjectType: 'pairwise',
    sectorIdentifier: 'rp.example',
  };
  t.like(client, expected);
  t.like(await clients.get('rp'), expected);
  t.like((await clients.list())[0], expected);
});

test('a client created without them has no post-logout redirect URI, the server\'s ID token algorithm and public subjects', async (t) => {
  const { client } = await provider().clients.create(codeClient());
  t.deepEqual(client.postLogoutRedirectUris, []);
  t.is(client.idTokenSignedResponseAlg, null);
  t.is(client.subjectType, 'public');
  t.is(client.sectorIdentifier, null);
});

test('OIDC RP-Initiated Logout §3.1 — a post-logout redirect URI must be absolute, without fragment, of no executable scheme, and not repeated', async (t) => {
  const clients = provider().clients;
  for (const uri of ['https://rp.example/out#frag', '/signed-out', 'javascript:alert(1)', 'data:text/html,hi']) {
    const error = await t.throwsAsync(clients.create(codeClient({ postLogoutRedirectUris: ['https://rp.example/ok', uri] })), { instanceOf: ValidationError });
    t.is(error?.field, 'postLogoutRedirectUris[1]', uri);
  }
  const repeated = await t.throwsAsync(clients.create(codeClient({ postLogoutRedirectUris: ['https://rp.example/a', 'https://rp.example/a'] })), { instanceOf: ValidationError });
  t.is(repeated?.field, 'postLogoutRedirectUris');
});

test('OIDC Registration §2 — the ID token algorithm is ES256, RS256 or EdDSA: none and MACs are refused', async (t) => {
  const clients = provider().clients;
  for (const alg of ['none', 'HS256', 'es256', 'PS256', 42]) {
    const error = await t.throwsAsync(clients.create(codeClient({ idTokenSignedResponseAlg: alg as 'ES256' })), { instanceOf: ValidationError });
    t.is(error?.field, 'idTokenSignedResponseAlg', String(alg));
  }
  for (const alg of ['ES256', 'RS256', 'EdDSA'] as const) {
    t.is((await clients.create(codeClient({ idTokenSignedResponseAlg: alg }))).client.idTokenSignedResponseAlg, alg);
  }
});

test('OIDC Registration §2 — an OpenID provider refuses an ID token algorithm it keeps no keys for, on create and update', async (t) => {
  const clients = new OAuthProvider(new MemoryStorage(), { issuer: 'https://login.example', signingKeys: { encryptionKey: generateSigningKeyEncryptionKey() }, openid: {} }).clients;
  const created = await t.throwsAsync(clients.create(codeClient({ idTokenSignedResponseAlg: 'EdDSA' })), { instanceOf: ValidationError });
  t.is(created?.field, 'idTokenSignedResponseAlg');
  t.regex(created!.message, /keeps signing keys for \(ES256, RS256\)/);
  await clients.create(codeClient({ id: 'rp', idTokenSignedResponseAlg: 'RS256' }));
  t.is((await t.throwsAsync(clients.update('rp', { idTokenSignedResponseAlg: 'EdDSA' }), { instanceOf: ValidationError }))?.field, 'idTokenSignedResponseAlg');
  t.like(await clients.get('rp'), { idTokenSignedResponseAlg: 'RS256' });
});

test('OIDC Core §8 — the subject type is public or pairwise', async (t) => {
  const error = await t.throwsAsync(provider().clients.create(codeClient({ subjectType: 'anonymous' as 'public' })), { instanceOf: ValidationError });
  t.is(error?.field, 'subjectType');
});

test('OIDC Core §8.1 — a sector identifier is a host name as a URL spells it, in lower case, perhaps with a port', async (t) => {
  const clients = provider().clients;
  for (const sector of ['https://rp.example', 'RP.example', 'rp example', '-rp.example', 'rp.example/path', '']) {
    const error = await t.throwsAsync(clients.create(codeClient({ sectorIdentifier: sector })), { instanceOf: ValidationError });
    t.is(error?.field, 'sectorIdentifier', sector);
  }
  for (const sector of ['rp.example', 'login.rp.example:8443', '127.0.0.1']) {
    t.is((await clients.create(codeClient({ sectorIdentifier: sector }))).client.sectorIdentifier, sector);
  }
});

test('OIDC Core §8.1 — a pairwise client with redirect URIs on several hosts and no sector identifier is refused', async (t) => {
  const clients = provider().clients;
  const twoHosts = ['https://a.rp.example/callback', 'https://b.rp.example/callback'];
  const error = await t.throwsAsync(clients.create(codeClient({ redirectUris: twoHosts, subjectType: 'pairwise' })), { instanceOf: ValidationError });
  t.is(error?.field, 'sectorIdentifier');
  t.regex(error!.message, /2 hosts/);
  await t.notThrowsAsync(clients.create(codeClient({ redirectUris: twoHosts, subjectType: 'pairwise', sectorIdentifier: 'rp.example' })));
  await t.notThrowsAsync(clients.create(codeClient({ redirectUris: twoHosts, subjectType: 'public' })));
});

test('OIDC Core §8.1 — a pairwise client on one host needs no sector identifier; one whose redirect URIs have no host (a private-use scheme) does', async (t) => {
  const clients = provider().clients;
  await t.notThrowsAsync(clients.create(codeClient({ redirectUris: ['https://rp.example/a', 'https://rp.example/b'], subjectType: 'pairwise' })));
  const error = await t.throwsAsync(clients.create(codeClient({ redirectUris: ['com.example.app:/callback'], subjectType: 'pairwise' })), { instanceOf: ValidationError });
  t.is(error?.field, 'sectorIdentifier');
  await t.notThrowsAsync(clients.create(codeClient({ redirectUris: ['com.example.app:/callback'], subjectType: 'pairwise', sectorIdentifier: 'app.example.com' })));
});

test('update changes the OpenID Connect settings, and null gives back the server\'s algorithm and the redirect URIs\' sector', async (t) => {
  const clients = provider().clients;
  await clients.create(codeClient({ id: 'rp' }));
  const updated = await clients.update('rp', {
    postLogoutRedirectUris: ['https://rp.example/bye'],
    idTokenSignedResponseAlg: 'EdDSA',
    subjectType: 'pairwise',
    sectorIdentifier: 'rp.example',
  });
  t.like(updated, { postLogoutRedirectUris: ['https://rp.example/bye'], idTokenSignedResponseAlg: 'EdDSA', subjectType: 'pairwise', sectorIdentifier: 'rp.example' });
  const cleared = await clients.update('rp', { postLogoutRedirectUris: [], idTokenSignedResponseAlg: null, sectorIdentifier: null });
  t.like(cleared, { postLogoutRedirectUris: [], idTokenSignedResponseAlg: null, subjectType: 'pairwise', sectorIdentifier: null });
  t.like(await clients.get('rp'), { idTokenSignedResponseAlg: null, sectorIdentifier: null });
});

test('OIDC Core §8.1 — an update that would leave a pairwise client on several hosts without a sector identifier is refused, and changes nothing', async (t) => {
  const clients = provider().clients;
  await clients.create(codeClient({ id: 'pairwise', subjectType: 'pairwise' }));
  const moreHosts = await t.throwsAsync(clients.update('pairwise', { redirectUris: ['https://rp.example/callback', 'https://other.example/callback'] }), { instanceOf: ValidationError });
  t.is(moreHosts?.field, 'sectorIdentifier');
  await clients.create(codeClient({ id: 'spread', redirectUris: ['https://a.example/cb', 'https://b.example/cb'], subjectType: 'pairwise', sectorIdentifier: 'example.com' }));
  const dropped = await t.throwsAsync(clients.update('spread', { sectorIdentifier: null }), { instanceOf: ValidationError });
  await clients.create(codeClient({ id: 'public', redirectUris: ['https://a.example/cb', 'https://b.example/cb'] }));
  const turned = await t.throwsAsync(clients.update('public', { subjectType: 'pairwise' }), { instanceOf: ValidationError });
  t.is(dropped?.field, 'sectorIdentifier');
  t.is(turned?.field, 'sectorIdentifier');
  t.like(await clients.get('spread'), { sectorIdentifier: 'example.com' });
  t.like(await clients.get('public'), { subjectType: 'public' });
});

test('update validates the OpenID Connect settings as create does', async (t) => {
  const clients = provider().clients;
  await clients.create(codeClient({ id: 'rp' }));
  const fields = await Promise.all(
    [{ postLogoutRedirectUris: ['https://rp.example/#x'] }, { idTokenSignedResponseAlg: 'none' }, { subjectType: 'secret' }, { sectorIdentifier: 'https://rp.example' }].map(async (patch) =>
      (await t.throwsAsync(clients.update('rp', patch as never), { instanceOf: ValidationError }))?.field,
    ),
  );
  t.deepEqual(fields, ['postLogoutRedirectUris[0]', 'idTokenSignedResponseAlg', 'subjectType', 'sectorIdentifier']);
});
