/**
 * A Prisma client generated from a schema without oauth2-kit's models fails when the provider is
 * built, naming the missing delegates and what to do — not on the first request, as a TypeError
 * reported as a storage failure. TypeScript refuses such a client at compile time
 * (generated-client-type.test.ts); these are for the cast, the `any` and plain JavaScript.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { PrismaPg } from '@prisma/adapter-pg';
import { OAuthPrismaProvider, type OAuthPrismaClient } from '../../src/providers/prisma/index.js';
import { PrismaClient } from '../../generated/prisma/client.js';
import { repoRoot } from '../support/databases.js';

const ADVICE =
  "Add oauth2-kit's models to your schema (copy node_modules/oauth2-kit/prisma/oauth.prisma into your schema folder) " +
  'and run `npx prisma generate`.';

/** Never connected to: building a provider makes no query. */
const adapter = () => new PrismaPg({ connectionString: 'postgresql://nobody@127.0.0.1:1/none' });

test("a real client generated from a schema without oauth2-kit's models is refused at construction, naming every missing delegate", async (t) => {
  // Under generated/ (ignored by git), where the generated code finds @prisma/client.
  const folder = join(repoRoot, 'generated', `without-oauth-models-${randomBytes(4).toString('hex')}`);
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'schema.prisma'),
    'generator client {\n  provider = "prisma-client"\n  output   = "./client"\n}\n\n' +
      'datasource db {\n  provider = "postgresql"\n}\n\n' +
      'model Product {\n  id   String @id\n  name String\n}\n',
  );
  await promisify(execFile)(process.execPath, [join(repoRoot, 'node_modules/prisma/build/index.js'), 'generate', '--schema', join(folder, 'schema.prisma')], {
    cwd: repoRoot,
  });
  const generated = (await import(pathToFileURL(join(folder, 'client', 'client.ts')).href)) as {
    PrismaClient: new (options: { adapter: PrismaPg }) => { $disconnect(): Promise<void> };
  };
  const prisma = new generated.PrismaClient({ adapter: adapter() });
  t.teardown(() => prisma.$disconnect());
  const error = t.throws(() => new OAuthPrismaProvider(prisma as unknown as OAuthPrismaClient), { instanceOf: TypeError });
  t.is(
    error?.message,
    'the Prisma client passed to OAuthPrismaProvider has no oAuthClient, oAuthClientGrant, oAuthClientRedirectUri, oAuthClientScope, ' +
      "oAuthScope, oAuthToken, oAuthAuthorizationCode, oAuthUser, oAuthAttemptCounter, oAuthResource, oAuthClientRegistration, oAuthSigningKey, oAuthSession, oAuthConsentGrant: the schema it was generated from lacks oauth2-kit's " +
      `models (or has an older copy of them). ${ADVICE}`,
  );
});

// The shapes of clients generated before the attempt-counter model, the resource model (RFC 8707), the
// client-registration model (RFC 7591), the signing-key model (RFC 9068) and the session and
// consent-grant models (OpenID Connect) existed.
for (const newer of ['oAuthAttemptCounter', 'oAuthResource', 'oAuthClientRegistration', 'oAuthSigningKey', 'oAuthSession', 'oAuthConsentGrant']) {
  test(`a client generated from a copy of the models without ${newer} is refused naming only the delegate it lacks`, (t) => {
    const prisma = new PrismaClient({ adapter: adapter() });
    t.teardown(() => prisma.$disconnect());
    const older = new Proxy(prisma, { get: (target, key, receiver) => (key === newer ? undefined : Reflect.get(target, key, receiver)) });
    const error = t.throws(() => new OAuthPrismaProvider(older), { instanceOf: TypeError });
    t.true(error?.message.startsWith(`the Prisma client passed to OAuthPrismaProvider has no ${newer}: `), error?.message);
    t.true(error?.message.endsWith(ADVICE));
  });
}

test('something that is not a Prisma client is refused saying what to pass', (t) => {
  for (const notAClient of [undefined, {}, { oAuthClient: {} }]) {
    t.throws(() => new OAuthPrismaProvider(notAClient as unknown as OAuthPrismaClient), {
      instanceOf: TypeError,
      message: /^OAuthPrismaProvider needs a (Prisma client|Prisma 7 client; this object has no \$transaction, \$queryRaw, \$executeRaw)\b.*new PrismaClient\(\{ adapter \}\)/,
    });
  }
});

test('the generated client with the models is accepted', (t) => {
  const prisma = new PrismaClient({ adapter: adapter() });
  t.teardown(() => prisma.$disconnect());
  t.notThrows(() => new OAuthPrismaProvider(prisma));
});
