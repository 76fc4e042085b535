/**
 * Garbage input, property-based (fast-check): random grant types, parameters, repeated parameters
 * (RFC 6749 §3.1), headers, body encodings, oversized values, Unicode and SQL metacharacters sent
 * to the token, revocation, introspection and authorization endpoints and to a guarded route.
 *
 * Every answer is a 4xx — JSON in the shape of RFC 6749 §5.2 (or RFC 6750 §3 at the guard), or the
 * HTML error page at the authorization endpoint — never a 5xx; afterwards a valid request still
 * succeeds and the database holds nothing the garbage created. The generators never produce a
 * working credential, so no garbage request can legitimately succeed.
 *
 * Runs on both providers over PGlite: the properties are about the core and the bindings, which are
 * the same whatever the database; the storage boundary's own hostile-input tests are in the
 * conformance suite.
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import {
  authorizationHeaders,
  encodedBody,
  extraHeaders,
  parameterPairs,
  queryString,
  type GarbageParties,
} from './support/garbage.js';
import { basic, getWithBearer, post, type Answer } from './support/http.js';
import { sendRaw } from './support/raw-http.js';
import { openStack, REDIRECT_URI, stackName, type Stack, type StackSpec } from './support/stacks.js';

/** Runs per property: bounded so that the whole file stays within seconds per provider. */
const NUM_RUNS = 250;

const TABLES = [
  'oauth_clients',
  'oauth_client_grants',
  'oauth_client_redirect_uris',
  'oauth_client_scopes',
  'oauth_scopes',
  'oauth_users',
  'oauth_tokens',
  'oauth_authorization_codes',
  'oauth_resources',
  'oauth_client_registrations',
  'oauth_signing_keys',
  'oauth_consent_grants',
  'oauth_sessions',
];

const SPECS: StackSpec[] = [
  { provider: 'sql', backend: 'pglite' },
  { provider: 'prisma', backend: 'pglite' },
];

/** Why an answer breaks the rules, or null when it keeps them. */
type Rule = (answer: Answer) => string | null;

const isJson = (answer: Answer) => /^application\/json/.test(answer.headers.get('content-type') ?? '');
const isHtml = (answer: Answer) => /^text\/html/.test(answer.headers.get('content-type') ?? '');

function describe(answer: Answer): string {
  return `${answer.status} ${answer.headers.get('content-type') ?? '(no type)'} ${answer.text.slice(0, 300)}`;
}

/** A 4xx carrying an RFC 6749 §5.2 JSON error. */
const jsonError: Rule = (answer) => {
  if (answer.status < 400 || answer.status > 499) return `not a 4xx: ${describe(answer)}`;
  if (!isJson(answer) || typeof answer.json?.error !== 'string' || !/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/.test(answer.json.error)) {
    return `not an RFC 6749 §5.2 error body: ${describe(answer)}`;
  }
  return null;
};

async function holds(rule: Rule, answer: Answer): Promise<void> {
  const broken = rule(answer);
  if (broken !== null) throw new Error(broken);
}

async function countRows(stack: Stack): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await stack.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n);
  }
  return counts;
}

for (const spec of SPECS) {
  const name = stackName(spec);
  let stack: Stack;
  let parties: GarbageParties;
  let before: Record<string, number>;

  test.before(async () => {
    // Throttling is tested on its own: here garbage aimed at a known client must not be answered 429
    // for the valid request that follows it.
    stack = (await openStack(spec, { authorizePage: true, providerOptions: { throttle: false } })) as Stack;
    parties = { confidentialId: stack.confidential.id, publicId: stack.public.id, username: stack.user.username, redirectUri: REDIRECT_URI };
    before = await countRows(stack);
  });
  test.after.always(() => stack?.close());

  /** POSTs garbage at a JSON endpoint and checks the answer with `rule`. */
  async function garbageAt(path: string, rule: (answer: Answer) => string | null, withGrantType: boolean): Promise<void> {
    const pairs = withGrantType
      ? fc.tuple(fc.oneof(fc.constantFrom('client_credentials', 'password', 'refresh_token', 'authorization_code'), fc.string()), parameterPairs(parties, 14_000))
          .map(([grantType, rest]): Array<[string, string]> => [['grant_type', grantType], ...rest])
      : parameterPairs(parties, 14_000);
    await fc.assert(
      fc.asyncProperty(encodedBody(pairs), authorizationHeaders(parties), extraHeaders(), async (body, authorizations, extra) => {
        const headers: Array<[string, string]> = [...body.headers, ...extra, ...authorizations.map((value): [string, string] => ['authorization', value])];
        await holds(rule, await sendRaw(stack.origin, { method: 'POST', path, headers, body: body.body }));
      }),
      { numRuns: NUM_RUNS, includeErrorInReport: true },
    );
  }

  test.serial(`${name}: RFC 6749 §5.2 — garbage at the token endpoint is answered 4xx with a JSON error, never 5xx`, async (t) => {
    await garbageAt('/auth/token', jsonError, true);
    t.pass();
  });

  test.serial(`${name}: RFC 7009 §2.2 — garbage at the revocation endpoint is answered 4xx with a JSON error, or 200 for a public client`, async (t) => {
    // RFC 7009 §2.2: an authenticated client (a public one by its client_id alone) revoking a token
    // it does not hold gets 200 with an empty body.
    await garbageAt('/auth/revoke', (answer) => (answer.status === 200 ? (answer.text === '' ? null : `200 with a body: ${describe(answer)}`) : jsonError(answer)), false);
    t.pass();
  });

  test.serial(`${name}: RFC 7662 §2.2 — garbage at the introspection endpoint is answered 4xx with a JSON error, or inactive`, async (t) => {
    // RFC 7662 §2.2: a token that is not active (any garbage) is answered {"active": false}.
    await garbageAt(
      '/auth/introspect',
      (answer) =>
        answer.status === 200
          ? isJson(answer) && answer.json?.active === false && Object.keys(answer.json).length === 1
            ? null
            : `200 other than {"active":false}: ${describe(answer)}`
          : jsonError(answer),
      false,
    );
    t.pass();
  });

  test.serial(`${name}: RFC 6749 §4.1.2.1 — garbage authorization requests get the HTML error page, a redirect to the registered URI, or the consent page — never 5xx`, async (t) => {
    await fc.assert(
      fc.asyncProperty(queryString(parameterPairs(parties, 2_000)), extraHeaders(), async (query, extra) => {
        const answer = await sendRaw(stack.origin, { method: 'GET', path: `/auth/authorize${query}`, headers: extra });
        if (answer.status === 200 && isHtml(answer)) return; // a request that happens to be valid: the consent page
        if (answer.status === 302) {
          const location = answer.headers.get('location') ?? '';
          if (location.startsWith(`${REDIRECT_URI}?`) && !location.startsWith(`${REDIRECT_URI}?code=`)) return;
          throw new Error(`redirect elsewhere than the registered URI, or with a code: ${location}`);
        }
        if (answer.status >= 400 && answer.status <= 499 && isHtml(answer)) return;
        throw new Error(`unexpected answer: ${describe(answer)}`);
      }),
      { numRuns: NUM_RUNS, includeErrorInReport: true },
    );
    t.pass();
  });

  test.serial(`${name}: garbage posted to the authorization endpoint is refused with the HTML error page or a JSON error — never a code`, async (t) => {
    await fc.assert(
      fc.asyncProperty(encodedBody(parameterPairs(parties, 14_000)), extraHeaders(), async (body, extra) => {
        const answer = await sendRaw(stack.origin, { method: 'POST', path: '/auth/authorize', headers: [...body.headers, ...extra], body: body.body });
        if (answer.status >= 400 && answer.status <= 499 && (isHtml(answer) || jsonError(answer) === null)) return;
        throw new Error(`unexpected answer: ${describe(answer)}`);
      }),
      { numRuns: NUM_RUNS, includeErrorInReport: true },
    );
    t.pass();
  });

  test.serial(`${name}: RFC 6750 §3.1 — garbage bearer credentials at a guarded route are answered 400 or 401 with a Bearer challenge, never 5xx`, async (t) => {
    const tokenish = fc.oneof(fc.string({ maxLength: 80 }), fc.base64String({ maxLength: 80 }), fc.constantFrom("' OR 1=1 --", '\u0000', '🙂', 'A'.repeat(600)));
    await fc.assert(
      fc.asyncProperty(authorizationHeaders(parties), fc.option(tokenish, { nil: undefined }), extraHeaders(), async (authorizations, queryToken, extra) => {
        const path = `/api/me${queryToken === undefined ? '' : `?access_token=${encodeURIComponent(queryToken.replace(/[\uD800-\uDFFF]/g, '?'))}`}`;
        const headers: Array<[string, string]> = [...extra, ...authorizations.map((value): [string, string] => ['authorization', value])];
        const answer = await sendRaw(stack.origin, { method: 'GET', path, headers });
        if (![400, 401].includes(answer.status)) throw new Error(`unexpected status: ${describe(answer)}`);
        if (answer.status === 401 && !/^Bearer realm="/.test(answer.headers.get('www-authenticate') ?? '')) {
          throw new Error(`401 without a Bearer challenge: ${describe(answer)}`);
        }
        if (answer.text !== '' && jsonError(answer) !== null) throw new Error(`not an RFC 6750 error body: ${describe(answer)}`);
      }),
      { numRuns: NUM_RUNS, includeErrorInReport: true },
    );
    t.pass();
  });

  test.serial(`${name}: after the garbage, valid requests succeed and the database holds nothing the garbage created`, async (t: ExecutionContext) => {
    t.deepEqual(await countRows(stack), before);
    const issued = await post(stack.endpoint('token'), { grant_type: 'client_credentials' }, {
      authorization: basic(stack.confidential.id, stack.confidential.secret),
    });
    t.is(issued.status, 200);
    t.is((await getWithBearer(`${stack.origin}/api/me`, issued.json.access_token)).status, 200);
    t.deepEqual(stack.emittedErrors, [], 'no request ended in an unexpected exception');
    t.deepEqual(stack.reportedErrors, [], 'no request was a storage failure or a bug');
  });
}
