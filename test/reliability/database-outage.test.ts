/**
 * Database outages, end to end: a TCP proxy of the test's own sits between the server and its
 * database and is cut (connections reset, new ones refused) or blackholed (connections held
 * silent, as in a network partition) mid-traffic, then restored. The server must answer 503
 * `temporarily_unavailable` meanwhile — promptly, without a crash — and serve again afterwards
 * without a restart, having lost no token it reported as issued.
 *
 * Every request carries an abort deadline far above the configured timeouts (support/http.ts): a
 * request that completes while the database is still unreachable proves that the configured
 * timeout, not the network, ended the wait.
 */
import test, { type ExecutionContext } from 'ava';
import { basic, getWithBearer, post, type Answer } from './support/http.js';
import { assertUnavailable, concurrencyLimit, digest, OUTAGE_SETTINGS, untilOk } from './support/outage.js';
import {
  openStack,
  SERVER_STACKS,
  stackName,
  stackUnavailableReason,
  type Stack,
  type StackOptions,
  type StackSpec,
} from './support/stacks.js';

const inTurn = concurrencyLimit(3);

// Decided before any test is declared (ava starts soon after the first declaration): a combination
// whose database is absent here has its tests registered as skipped, the reason printed once.
const unavailable = await Promise.all(SERVER_STACKS.map((spec) => stackUnavailableReason(spec)));

/** The first answer of 200, tolerating a busy machine before any outage. */
async function firstOk(attempt: () => Promise<Answer>): Promise<Answer> {
  return (await untilOk(attempt)).at(-1)!;
}

/** Opens a proxied stack for one test and closes it afterwards. */
async function proxiedStack(t: ExecutionContext, spec: StackSpec, options: StackOptions = OUTAGE_SETTINGS): Promise<Stack> {
  const stack = await openStack(spec, { proxy: true, ...options });
  if ('skip' in stack) throw new Error(`${stackName(spec)} became unavailable after the file loaded: ${stack.skip}`);
  t.teardown(() => stack.close());
  return stack;
}

function clientCredentials(stack: Stack): Promise<Answer> {
  return post(stack.endpoint('token'), { grant_type: 'client_credentials' }, {
    authorization: basic(stack.confidential.id, stack.confidential.secret),
  });
}

function passwordGrant(stack: Stack): Promise<Answer> {
  return post(
    stack.endpoint('token'),
    { grant_type: 'password', username: stack.user.username, password: stack.user.password },
    { authorization: basic(stack.confidential.id, stack.confidential.secret) },
  );
}

function refreshGrant(stack: Stack, refreshToken: string): Promise<Answer> {
  return post(stack.endpoint('token'), { grant_type: 'refresh_token', refresh_token: refreshToken }, {
    authorization: basic(stack.confidential.id, stack.confidential.secret),
  });
}

/** The four kinds of request a database outage must not turn into a hang, a 500 or a 401. */
async function everyEndpoint(stack: Stack, accessToken: string): Promise<Array<[string, Answer]>> {
  const auth = basic(stack.confidential.id, stack.confidential.secret);
  return [
    ['token (client_credentials)', await clientCredentials(stack)],
    ['token (password)', await passwordGrant(stack)],
    ['guard', await getWithBearer(`${stack.origin}/api/me`, accessToken)],
    ['introspection', await post(stack.endpoint('introspect'), { token: accessToken }, { authorization: auth })],
    ['revocation', await post(stack.endpoint('revoke'), { token: accessToken }, { authorization: auth })],
  ];
}

for (const [index, spec] of SERVER_STACKS.entries()) {
  const name = stackName(spec);
  const skip = unavailable[index];
  if (skip !== undefined) console.warn(`[reliability/database-outage] ${name} skipped: ${skip}`);

  /** Declares `${name}: ${title}` on a fresh proxied stack, run in turn; or its declared skip, saying why. */
  const outageTest = (title: string, body: (t: ExecutionContext, stack: Stack) => Promise<void>, options: StackOptions = OUTAGE_SETTINGS) => {
    if (skip !== undefined) test.skip(`${name}: ${title} (skipped: ${skip})`, () => {});
    else test(`${name}: ${title}`, (t) => inTurn(async () => body(t, await proxiedStack(t, spec, options))));
  };

  outageTest('while the database refuses connections, every endpoint answers 503 temporarily_unavailable', async (t, stack) => {
    const issued = await firstOk(() => clientCredentials(stack));
    t.is(issued.status, 200);
    stack.proxy!.cut();
    for (const [what, answer] of await everyEndpoint(stack, issued.json.access_token)) assertUnavailable(t, answer, what);
    t.deepEqual(stack.emittedErrors, [], 'no request ended in an unexpected exception');
  });

  // A partition is the outage only timeouts can end. Either layer alone must bound the wait: the
  // provider's storageTimeout (whatever the driver does) and the driver's own timeouts (which also
  // free the stuck connection).
  const partitionBounds: Array<[string, StackOptions]> = [
    ["the provider's storageTimeout alone", { providerOptions: OUTAGE_SETTINGS.providerOptions }],
    ["the driver's timeouts alone", { providerOptions: { storageTimeout: 0 }, driverTimeouts: OUTAGE_SETTINGS.driverTimeouts }],
  ];
  for (const [bound, options] of partitionBounds) {
    outageTest(`while the database is partitioned away, requests end with 503 bounded by ${bound}`, async (t, stack) => {
      const issued = await firstOk(() => clientCredentials(stack));
      t.is(issued.status, 200);
      stack.proxy!.blackhole();
      const answers = await everyEndpoint(stack, issued.json.access_token);
      // Every request above completed although the proxy never answered: a timeout ended them.
      t.is(stack.proxy!.state, 'blackholed');
      for (const [what, answer] of answers) assertUnavailable(t, answer, what);
    }, options);
  }

  outageTest('once the database is back, the same process serves again without a restart', async (t, stack) => {
    const before = await firstOk(() => clientCredentials(stack));
    t.is(before.status, 200);
    for (const outage of ['cut', 'blackhole'] as const) {
      stack.proxy![outage]();
      assertUnavailable(t, await clientCredentials(stack), `token during ${outage}`);
      stack.proxy!.restore();
      const recovery = await untilOk(() => clientCredentials(stack));
      t.is(recovery.at(-1)?.status, 200, `token endpoint serves again after the ${outage}`);
      t.true(recovery.every((answer) => answer.status === 200 || answer.status === 503), 'recovering answers are 200 or 503');
      const guarded = await untilOk(() => getWithBearer(`${stack.origin}/api/me`, before.json.access_token));
      t.is(guarded.at(-1)?.status, 200, `a token issued before the ${outage} is still accepted`);
    }
  });

  outageTest('a cut in mid-traffic loses no token that was reported issued and leaves no half-written one', async (t, stack) => {
    /** Every access and refresh token a 200 answer handed out. */
    const reported: Array<{ accessToken: string; refreshToken: string | undefined }> = [];
    const statuses = new Map<number, number>();
    const count = (answer: Answer) => statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    let phase: 'before' | 'outage' | 'after' = 'before';
    let unavailableDuringOutage = 0;
    let okAfter = 0;

    /** One client: password grant, then refresh after refresh; starts over whenever a step fails. */
    async function worker(): Promise<void> {
      let refreshToken: string | undefined;
      while (okAfter < 40) {
        const answer = refreshToken === undefined ? await passwordGrant(stack) : await refreshGrant(stack, refreshToken);
        count(answer);
        if (answer.status === 200) {
          reported.push({ accessToken: answer.json.access_token, refreshToken: answer.json.refresh_token });
          refreshToken = answer.json.refresh_token;
          if (phase === 'after') okAfter += 1;
        } else {
          // A refresh token whose rotation was cut off may be spent: sign in again.
          refreshToken = undefined;
          if (phase === 'outage' && answer.status === 503) unavailableDuringOutage += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }

    /** Cuts once traffic flows, restores once the outage has been felt: decided by counts, not time. */
    async function operator(): Promise<void> {
      while (reported.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
      phase = 'outage';
      stack.proxy!.cut();
      while (unavailableDuringOutage < 20) await new Promise((resolve) => setTimeout(resolve, 10));
      stack.proxy!.restore();
      phase = 'after';
    }

    await Promise.all([operator(), worker(), worker(), worker(), worker()]);

    t.deepEqual([...statuses.keys()].filter((status) => status !== 200 && status !== 503), [], 'every answer is 200 or 503');
    t.true((statuses.get(503) ?? 0) >= 20, 'the outage was felt');

    const rows = await stack.rows<{ access_token_hash: string; refresh_token_hash: string | null; refresh_token_expires_at: unknown }>(
      'SELECT access_token_hash, refresh_token_hash, refresh_token_expires_at FROM oauth_tokens',
    );
    const stored = new Set(rows.map((row) => row.access_token_hash));
    const storedRefresh = new Set(rows.map((row) => row.refresh_token_hash));
    const missing = reported.filter((issued) => !stored.has(digest(issued.accessToken)));
    t.is(missing.length, 0, 'every access token reported issued is stored');
    t.true(reported.every((issued) => issued.refreshToken !== undefined && storedRefresh.has(digest(issued.refreshToken))), 'and its refresh token with it');
    // Each issuance of the password and refresh grants carries both tokens: a row with only one would be half-written.
    t.deepEqual(rows.filter((row) => row.refresh_token_hash === null || row.refresh_token_expires_at === null), []);
    t.true(rows.length >= reported.length);

    const fresh = await firstOk(() => passwordGrant(stack));
    t.is(fresh.status, 200);
    t.is((await getWithBearer(`${stack.origin}/api/me`, fresh.json.access_token)).status, 200, 'tokens issued afterwards work');
    t.deepEqual(stack.emittedErrors, [], 'no request ended in an unexpected exception');
  });
}
