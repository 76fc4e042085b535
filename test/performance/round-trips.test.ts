/**
 * What one HTTP request costs the database, in round trips, for each provider: the budget a busy
 * server pays on every request. Counted at the driver: every statement the SQL provider
 * sends through its SQLInterface, every statement Prisma sends through its driver adapter
 * (BEGIN/COMMIT included).
 *
 * Budgets: validation 1; client_credentials issuance ≤ 2; refresh ≤ 3: the client read, the
 * refresh-token read and the rotation (the successor stored and the old token claimed in one
 * statement, docs/adr/0003). With the opt-in client cache holding the client, refresh ≤ 2.
 */
import test, { type ExecutionContext } from 'ava';
import type { OAuthProvider, OAuthProviderOptions } from '../../src/core/index.js';
import { openTarget, type DatabaseKind, type OpenTarget, type ProviderKind } from '../conformance/support/targets.js';
import { resolveServer } from '../support/databases.js';
import { guardedRequest, seedFixture, startApp, tokenRequest, type Fixture, type RunningApp } from './support/oauth-app.js';

const COMBINATIONS: Array<[ProviderKind, DatabaseKind]> = [
  ['sql', 'pglite'],
  ['sql', 'postgres'],
  ['prisma', 'pglite'],
  ['prisma', 'postgres'],
];

/** Why each database server is absent, decided before any test is declared; PGlite is always here. */
const absent = new Map<DatabaseKind, string>();
for (const database of new Set(COMBINATIONS.map(([, database]) => database))) {
  if (database === 'pglite') continue;
  const server = await resolveServer(database);
  if ('skip' in server) {
    absent.set(database, server.skip);
    console.warn(`[performance/round-trips] ${database} combinations skipped: ${server.skip}`);
  }
}

/**
 * A cheap scrypt cost: these tests sign in but are not about passwords. They sign in through the
 * password grant, an explicit opt-in (RFC 9700 §2.4).
 */
const FAST_PASSWORDS: OAuthProviderOptions = { passwordHashCost: { N: 1024, r: 8, p: 1 }, allowPasswordGrant: true };

interface Setup {
  target: OpenTarget;
  fixture: Fixture;
  exact: RunningApp;
  cached: RunningApp;
  close(): Promise<void>;
}

const setups = new Map<string, Promise<Setup>>();

/** One database per combination for the whole file, with an exact and a caching server on it. */
function setupFor(provider: ProviderKind, database: DatabaseKind): Promise<Setup> {
  const key = `${provider}/${database}`;
  let setup = setups.get(key);
  if (!setup) {
    setup = (async () => {
      const target = await openTarget(provider, database);
      if ('skip' in target) throw new Error(`${key} became unavailable after the file loaded: ${target.skip}`);
      const exactProvider: OAuthProvider = target.provider(FAST_PASSWORDS);
      // A stopped clock: cache entries never age during the file, so no count depends on timing.
      const stopped = new Date();
      const cachedProvider: OAuthProvider = target.provider({
        ...FAST_PASSWORDS,
        validatedTokenCache: true,
        clientCache: true,
        now: () => new Date(stopped),
      });
      const fixture = await seedFixture(exactProvider);
      const exact = await startApp(exactProvider);
      const cached = await startApp(cachedProvider);
      return {
        target,
        fixture,
        exact,
        cached,
        async close() {
          await exact.close();
          await cached.close();
          await target.close();
        },
      };
    })();
    setups.set(key, setup);
  }
  return setup;
}

test.after.always(async () => {
  for (const setup of setups.values()) {
    const resolved = await setup.catch(() => undefined);
    if (resolved) await resolved.close();
  }
});

/** Round trips of `run`, counted from just before it to just after it. */
async function roundTrips(setup: Setup, run: () => Promise<void>): Promise<number> {
  setup.target.resetQueries();
  await run();
  return setup.target.queries();
}

async function passwordGrant(t: ExecutionContext, setup: Setup, app: RunningApp): Promise<{ access: string; refresh: string }> {
  const { fixture } = setup;
  const answer = await tokenRequest(app, fixture, {
    grant_type: 'password',
    username: fixture.username,
    password: fixture.password,
    scope: 'read',
  });
  t.is(answer.status, 200);
  return { access: answer.access_token!, refresh: answer.refresh_token! };
}

function each(title: string, body: (t: ExecutionContext, setup: Setup) => Promise<void>): void {
  for (const [provider, database] of COMBINATIONS) {
    const name = `${provider}/${database}: ${title}`;
    if (absent.has(database)) test.serial.skip(`${name} (no ${database} server)`, () => {});
    else test.serial(name, async (t) => body(t, await setupFor(provider, database)));
  }
}

each('validating a bearer token costs one round trip', async (t, setup) => {
  const { access } = await passwordGrant(t, setup, setup.exact);
  const count = await roundTrips(setup, async () => {
    t.is(await guardedRequest(setup.exact, access), 200);
  });
  t.is(count, 1);
});

each('every validation reads the database again when the token cache is off', async (t, setup) => {
  const { access } = await passwordGrant(t, setup, setup.exact);
  await guardedRequest(setup.exact, access);
  const count = await roundTrips(setup, async () => {
    t.is(await guardedRequest(setup.exact, access), 200);
  });
  t.is(count, 1);
});

each('issuing a client_credentials token costs at most two round trips', async (t, setup) => {
  const count = await roundTrips(setup, async () => {
    t.is((await tokenRequest(setup.exact, setup.fixture, { grant_type: 'client_credentials', scope: 'read' })).status, 200);
  });
  t.log(`client_credentials: ${count}`);
  t.true(count <= 2, `${count} round trips`);
});

each('RFC 6749 §6 — refreshing costs at most two round trips once the client cache holds the client', async (t, setup) => {
  const { refresh } = await passwordGrant(t, setup, setup.cached);
  const count = await roundTrips(setup, async () => {
    t.is((await tokenRequest(setup.cached, setup.fixture, { grant_type: 'refresh_token', refresh_token: refresh })).status, 200);
  });
  t.log(`refresh with the client cache: ${count}`);
  t.true(count <= 2, `${count} round trips`);
});

each('RFC 6749 §6 — refreshing without the client cache costs at most three round trips, the client read included', async (t, setup) => {
  const { refresh } = await passwordGrant(t, setup, setup.exact);
  const count = await roundTrips(setup, async () => {
    t.is((await tokenRequest(setup.exact, setup.fixture, { grant_type: 'refresh_token', refresh_token: refresh })).status, 200);
  });
  t.log(`refresh without the client cache: ${count}`);
  t.true(count <= 3, `${count} round trips`);
});

each('a token the cache already validated costs no round trip', async (t, setup) => {
  const { access } = await passwordGrant(t, setup, setup.cached);
  t.is(await guardedRequest(setup.cached, access), 200);
  const count = await roundTrips(setup, async () => {
    t.is(await guardedRequest(setup.cached, access), 200);
  });
  t.is(count, 0);
});

each('with the client cache holding the client, client_credentials issuance costs one round trip', async (t, setup) => {
  const issue = async () => {
    t.is((await tokenRequest(setup.cached, setup.fixture, { grant_type: 'client_credentials', scope: 'read' })).status, 200);
  };
  await issue();
  const count = await roundTrips(setup, issue);
  t.is(count, 1);
});
