/**
 * `oauth2-kit keys rotate|list`: the keys JWT access tokens (RFC 9068) are signed with, through the
 * real bin on an embedded PGlite database; a server on the same database (the SQL provider,
 * in-process, once the CLI has exited) signs with the keys the CLI made.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { generateSigningKeyEncryptionKey, type SigningKeyView } from '../../src/core/index.js';
import { OAuthSqlProvider, pgliteAdapter } from '../../src/providers/sql/index.js';
import { runCli, runCliJson } from './support/run-cli.js';

const VARIABLE = 'OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY';
const operatorKey = generateSigningKeyEncryptionKey();
let folder = '';
const db = () => ['--database-url', `pglite:${folder}`];
const withKey = (key = operatorKey) => ({ env: { [VARIABLE]: key } });

interface KeyJson extends Omit<SigningKeyView, 'activatesAt' | 'retiresAt' | 'expiresAt' | 'createdAt'> {
  activatesAt: string;
  retiresAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

test.before(async () => {
  folder = join(await mkdtemp(join(tmpdir(), 'oauth2-kit-keys-')), 'pglite');
  const migrated = await runCli([...db(), 'migrate']);
  if (migrated.code !== 0) throw new Error(migrated.stderr);
});
test.after.always(() => rm(join(folder, '..'), { recursive: true, force: true }));

test.serial(`keys rotate without ${VARIABLE} fails naming the variable, and with a malformed value says what it must be without quoting it`, async (t) => {
  const missing = await runCli([...db(), 'keys', 'rotate']);
  t.is(missing.code, 1);
  t.regex(missing.stderr, new RegExp(`^oauth2-kit: error: keys rotate needs the operator key the signing keys are encrypted under: set ${VARIABLE} to the server's signingKeys\\.encryptionKey`));
  const malformed = await runCli([...db(), 'keys', 'rotate'], withKey('not-a-key-at-all'));
  t.is(malformed.code, 1);
  t.regex(malformed.stderr, new RegExp(`^oauth2-kit: error: ${VARIABLE}: must be 32 random bytes, base64url without padding \\(43 characters\\)`));
  t.false(malformed.stderr.includes('not-a-key-at-all'));
  t.deepEqual(await runCliJson([...db(), 'keys', 'list']), []);
});

test.serial('keys rotate makes the first key, which signs at once; the next is published 660 s ahead; keys list shows both; a server with the same operator key signs with the first', async (t) => {
  const first = await runCliJson<{ key: KeyJson; retired: number }>([...db(), 'keys', 'rotate'], withKey());
  t.like(first, { retired: 0, key: { alg: 'ES256', status: 'signing', retiresAt: null } });
  const second = await runCli([...db(), 'keys', 'rotate'], withKey());
  t.is(second.code, 0, second.stderr);
  t.regex(second.stdout, /^Created signing key [\w-]{22} \(ES256\): it is published now and signs from \d{4}-\d\d-\d\dT[\d:.]+Z\. 1 older key\(s\) retire then and stay in the JWKS until their tokens have expired\.$/m);
  t.regex(second.stdout, /^KEY ID +ALG +STATUS +SIGNS FROM +RETIRES +LEAVES JWKS$/m);
  const keys = await runCliJson<KeyJson[]>([...db(), 'keys', 'list']);
  t.deepEqual(keys.map((key) => key.status), ['signing', 'pending']);
  const [signing, pending] = keys;
  t.is(signing?.id, first.key.id);
  t.is(Date.parse(pending!.activatesAt) - Date.parse(pending!.createdAt), 660_000);
  t.is(signing?.retiresAt, pending?.activatesAt);
  t.is(Date.parse(signing!.expiresAt!) - Date.parse(signing!.retiresAt!), 3_660_000);
  t.regex((await runCli([...db(), 'keys', 'list'])).stdout, new RegExp(`^${signing!.id} +ES256 +signing +`, 'm'));

  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(folder);
  try {
    const server = new OAuthSqlProvider(pgliteAdapter(pglite), { issuer: 'https://issuer.example', signingKeys: { encryptionKey: operatorKey } });
    await t.notThrowsAsync(server.check(), 'the server decrypts the keys the CLI sealed');
    t.deepEqual((await server.keys.jwks()).keys.map((jwk) => jwk.kid), [signing!.id, pending!.id]);
  } finally {
    await pglite.close();
  }
});

test.serial('keys rotate with another operator key is refused naming both fingerprints, and writes nothing', async (t) => {
  const before = await runCliJson<KeyJson[]>([...db(), 'keys', 'list']);
  const refused = await runCli([...db(), 'keys', 'rotate'], withKey(generateSigningKeyEncryptionKey()));
  t.is(refused.code, 1);
  t.regex(refused.stderr, /^oauth2-kit: error: signing key [\w-]{22} is encrypted under the operator key with fingerprint [\w-]{16}, but the configured signingKeys\.encryptionKey \(the CLI reads OAUTH2KIT_SIGNING_KEY_ENCRYPTION_KEY\) has fingerprint [\w-]{16}:/);
  t.deepEqual(await runCliJson<KeyJson[]>([...db(), 'keys', 'list']), before);
});

test.serial('keys rotate --publish-ahead 0 --alg ES256 signs with a new key at once, and the key still pending never signs; malformed options are usage errors', async (t) => {
  const [, pending] = await runCliJson<KeyJson[]>([...db(), 'keys', 'list']);
  const rotated = await runCliJson<{ key: KeyJson; cancelled: number; keys: KeyJson[] }>([...db(), 'keys', 'rotate', '--publish-ahead', '0', '--alg', 'ES256'], withKey());
  t.like(rotated.key, { alg: 'ES256', status: 'signing' });
  t.is(rotated.cancelled, 1);
  t.false(rotated.keys.some((key) => key.id === pending?.id), 'the key pending from the rotation before left the JWKS');
  for (const [option, value, message] of [
    ['--publish-ahead', 'soon', '--publish-ahead must be a whole number of seconds from 0 to 604800, got "soon"'],
    ['--publish-ahead', '604801', '--publish-ahead must be a whole number of seconds from 0 to 604800, got "604801"'],
    ['--alg', 'HS256', '--alg must be one of ES256, EdDSA, RS256, got "HS256"'],
    ['--algorithm', 'none', '--algorithm must be one of ES256, EdDSA, RS256, got "none"'],
  ] as const) {
    const run = await runCli([...db(), 'keys', 'rotate', option, value], withKey());
    t.is(run.code, 2);
    t.is(run.stderr, `oauth2-kit: error: ${message}\n`);
  }
});

test.serial('RFC 7518 §3.3 — keys rotate --alg RS256 adds an RSA key of its own, leaving the ES256 key signing; keys rotate then rotates both algorithms, and keys list shows each key\'s alg', async (t) => {
  const before = await runCliJson<KeyJson[]>([...db(), 'keys', 'list']);
  const es256 = before.find((key) => key.status === 'signing');
  const rsa = await runCliJson<{ key: KeyJson; retired: number; cancelled: number }>([...db(), 'keys', 'rotate', '--alg', 'RS256'], withKey());
  t.like(rsa, { retired: 0, cancelled: 0, key: { alg: 'RS256', status: 'signing', publicJwk: { kty: 'RSA', e: 'AQAB' } } });
  const listed = await runCliJson<KeyJson[]>([...db(), 'keys', 'list']);
  t.like(listed.find((key) => key.id === es256?.id)!, { status: 'signing', retiresAt: null });
  const both = await runCli([...db(), 'keys', 'rotate'], withKey());
  t.is(both.code, 0, both.stderr);
  t.regex(both.stdout, /^Created signing key [\w-]{22} \(ES256\): it is published now and signs from .*\. 1 older key\(s\) retire then/m);
  t.regex(both.stdout, /^Created signing key [\w-]{22} \(RS256\): it is published now and signs from .*\. 1 older key\(s\) retire then/m);
  t.regex(both.stdout, new RegExp(`^${rsa.key.id} +RS256 +signing +`, 'm'));
  const after = await runCliJson<KeyJson[]>([...db(), 'keys', 'list']);
  t.deepEqual(after.filter((key) => key.status === 'pending').map((key) => key.alg).sort(), ['ES256', 'RS256']);
});

test('keys --help lists rotate and list, rotate --help names the variable and says a rotation withdraws no key, and the CLI help lists both', async (t) => {
  const group = await runCli(['keys', '--help']);
  t.regex(group.stdout, /^ {2}oauth2-kit keys rotate \[--publish-ahead SECONDS\] \[--alg ES256\|EdDSA\|RS256\]$/m);
  t.regex(group.stdout, /^ {2}oauth2-kit keys list$/m);
  const rotate = (await runCli(['keys', 'rotate', '--help'])).stdout;
  t.regex(rotate, new RegExp(`The operator key comes from ${VARIABLE}`));
  t.regex(rotate, /A rotation withdraws no key\. After a suspected leak/);
  t.false(rotate.includes('at once after a suspected leak'));
  const all = (await runCli(['--help'])).stdout;
  t.regex(all, /^ {2}keys rotate +create the next key JWT access tokens are signed with \(RFC 9068\)/m);
  t.regex(all, /^ {2}keys list +list the published signing keys/m);
});
