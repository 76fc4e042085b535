/**
 * A token a guard keeps in memory (a verified JWT, a cached database lookup) is judged at once:
 * `checkEagerly` answers with the outcome itself, not a promise, and reads the request without
 * matching the token against the b64token pattern. What it may skip, it may skip only because a
 * kept token passed it already: every request the full reading refuses is refused alike when it
 * presents a kept token, and every rule on the token (expiry, audience, scope) is still applied.
 * Both guards are held to this: the JWT guard against a real signing issuer, the database guard
 * with its validated-token cache on a real (in-memory PGlite) database.
 */
import test, { type ExecutionContext } from 'ava';
import { createJwtGuard, type OAuth2GuardInteractor, type OAuthGuardOutcome, type OAuthHttpRequest } from '../../src/core/index.js';
import { createTestClock, type TestClock } from '../../src/testing/index.js';
import { signIn, twoNodes } from '../caching/support/two-nodes.js';
import { startSigningIssuer } from './support/signing-issuer.js';

const RESOURCE = 'https://api.example.com/notes';

interface Kept {
  guard: OAuth2GuardInteractor;
  /** A token the guard has judged once, and so keeps. */
  token: string;
  /** The scope the token holds, and one it lacks. */
  held: string;
  lacked: string;
  /** Moves the guard's clock past the token's expiry. */
  expire(): void;
}

type Setup = (t: ExecutionContext) => Promise<Kept>;

const jwtGuard: Setup = async (t) => {
  const issuer = await startSigningIssuer();
  t.teardown(() => issuer.close());
  const clock: TestClock = createTestClock();
  const guard = createJwtGuard({ issuer: issuer.issuer, resource: RESOURCE, now: clock.now });
  // A token that expires (60 s) long before its kept verification is dropped (5 minutes): expiry
  // is judged on the kept facts.
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  const token = await issuer.sign({ resource: RESOURCE, nowSeconds, claims: { exp: nowSeconds + 60 } });
  await keep(t, guard, token, 'notes:read');
  return { guard, token, held: 'notes:read', lacked: 'notes:admin', expire: () => clock.advance(120) };
};

const databaseGuard: Setup = async (t) => {
  // Tokens that expire (10 s) well before their cache entry is due for a refresh (half of 60 s):
  // expiry is judged on the kept entry.
  const nodes = await twoNodes({ validatedTokenCache: { maxAgeMs: 60_000 }, accessTokenLifetime: 10 });
  t.teardown(nodes.close);
  const { access } = await signIn(nodes, nodes.here);
  const { guard } = nodes.here;
  await keep(t, guard, access, 'read');
  return { guard, token: access, held: 'read', lacked: 'write', expire: () => nodes.clock.advance(20_000) };
};

/** Presents `token` once, in full, so that the guard keeps it. */
async function keep(t: ExecutionContext, guard: OAuth2GuardInteractor, token: string, scope: string): Promise<void> {
  const first = await guard.check(request({ authorization: `Bearer ${token}` }), { scope: [scope] });
  t.true(first.ok, 'the first presentation is admitted');
}

function request(headers: Record<string, string | string[]>, extra: Partial<OAuthHttpRequest> = {}): OAuthHttpRequest {
  return { method: 'GET', headers, query: {}, body: {}, ...extra };
}

/** The outcome `checkEagerly` gives, which must be ready (no promise). */
function judgedAtOnce(t: ExecutionContext, guard: OAuth2GuardInteractor, req: OAuthHttpRequest, scope: string[]): OAuthGuardOutcome {
  const outcome = guard.checkEagerly!(req, { scope });
  t.false(outcome instanceof Promise, 'answered without a promise');
  return outcome as OAuthGuardOutcome;
}

/** Both ways of asking agree on `req`; the outcome. */
async function outcomeOf(guard: OAuth2GuardInteractor, req: OAuthHttpRequest, scope: string[]): Promise<OAuthGuardOutcome> {
  const eager = await guard.checkEagerly!(req, { scope });
  const full = await guard.check(req, { scope });
  if (JSON.stringify(eager) !== JSON.stringify(full)) throw new Error(`checkEagerly and check disagree: ${JSON.stringify(eager)} vs ${JSON.stringify(full)}`);
  return full;
}

function refusedWith(outcome: OAuthGuardOutcome): { status: number; error: unknown; description: unknown } {
  if (outcome.ok) return { status: 200, error: undefined, description: undefined };
  const body = outcome.response.body as { error?: string; error_description?: string };
  return { status: outcome.response.status, error: body.error, description: body.error_description };
}

for (const [name, setup] of [
  ['JWT guard', jwtGuard],
  ['database guard, validated-token cache', databaseGuard],
] as const) {
  test(`${name}: a kept token is admitted at once, with the same result as the full check`, async (t) => {
    const kept = await setup(t);
    const req = request({ authorization: `Bearer ${kept.token}` });
    const eager = judgedAtOnce(t, kept.guard, req, [kept.held]);
    t.true(eager.ok);
    t.deepEqual(eager, await kept.guard.check(req, { scope: [kept.held] }));
  });

  test(`${name}: RFC 9110 §11.1 — the Bearer scheme of a kept token is matched case-insensitively, as in the full check`, async (t) => {
    const kept = await setup(t);
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      t.true(judgedAtOnce(t, kept.guard, request({ authorization: `${scheme} ${kept.token}` }), [kept.held]).ok, scheme);
    }
  });

  test(`${name}: a token never judged before is answered with a promise`, async (t) => {
    const kept = await setup(t);
    const outcome = kept.guard.checkEagerly!(request({ authorization: 'Bearer never-issued-token' }), { scope: [kept.held] });
    t.true(outcome instanceof Promise);
    t.is(refusedWith(await outcome).status, 401);
  });

  test(`${name}: RFC 6750 §3.1 — a kept token is refused 403 insufficient_scope at once on a route needing a scope it lacks`, async (t) => {
    const kept = await setup(t);
    const outcome = judgedAtOnce(t, kept.guard, request({ authorization: `Bearer ${kept.token}` }), [kept.lacked]);
    t.like(refusedWith(outcome), { status: 403, error: 'insufficient_scope' });
  });

  test(`${name}: RFC 6750 §3.1 — a kept token is refused 401 invalid_token at once when it has expired`, async (t) => {
    const kept = await setup(t);
    kept.expire();
    const outcome = judgedAtOnce(t, kept.guard, request({ authorization: `Bearer ${kept.token}` }), [kept.held]);
    t.like(refusedWith(outcome), { status: 401, error: 'invalid_token' });
  });

  test(`${name}: RFC 8707 §2 — a kept token is refused 401 invalid_token at a check bound to another resource`, async (t) => {
    const kept = await setup(t);
    const outcome = kept.guard.checkEagerly!(request({ authorization: `Bearer ${kept.token}` }), { scope: [kept.held], resource: 'https://other.example.com/' });
    t.like(refusedWith(await outcome), { status: 401, error: 'invalid_token' });
  });

  test(`${name}: RFC 6750 §2 — a kept token in the header with an access_token query parameter too is refused 400, two methods`, async (t) => {
    const kept = await setup(t);
    const outcome = await outcomeOf(kept.guard, request({ authorization: `Bearer ${kept.token}` }, { query: { access_token: kept.token } }), [kept.held]);
    t.like(refusedWith(outcome), { status: 400, error: 'invalid_request', description: 'Invalid request: only one authentication method is allowed' });
  });

  test(`${name}: RFC 6750 §2 — a kept token in the header with an access_token form parameter too is refused 400, two methods`, async (t) => {
    const kept = await setup(t);
    const headers = { authorization: `Bearer ${kept.token}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': '10' };
    const outcome = await outcomeOf(kept.guard, request(headers, { method: 'POST', body: { access_token: kept.token } }), [kept.held]);
    t.like(refusedWith(outcome), { status: 400, error: 'invalid_request', description: 'Invalid request: only one authentication method is allowed' });
  });

  test(`${name}: RFC 6750 §2.1 — a kept token in a repeated Authorization header is refused 400`, async (t) => {
    const kept = await setup(t);
    const outcome = await outcomeOf(kept.guard, request({ authorization: [`Bearer ${kept.token}`, `Bearer ${kept.token}`] }), [kept.held]);
    t.like(refusedWith(outcome), { status: 400, error: 'invalid_request' });
  });

  test(`${name}: a kept token with a repeated Content-Type (a binding that passes repeated headers as arrays) is refused 400, as by the full reading`, async (t) => {
    const kept = await setup(t);
    const outcome = await outcomeOf(kept.guard, request({ authorization: `Bearer ${kept.token}`, 'content-type': ['text/plain', 'text/html'] }), [kept.held]);
    t.like(refusedWith(outcome), { status: 400, error: 'invalid_request' });
  });

  test(`${name}: RFC 6750 §2.1 — a kept token after a malformed scheme separator is refused 400 malformed, not admitted`, async (t) => {
    const kept = await setup(t);
    // Two spaces, a tab, and a NUL — which a case-folding comparison would take for the space.
    for (const header of [`Bearer  ${kept.token}`, `Bearer\t${kept.token}`, `Bearer\u0000${kept.token}`]) {
      const outcome = await outcomeOf(kept.guard, request({ authorization: header }), [kept.held]);
      t.like(refusedWith(outcome), { status: 400, error: 'invalid_request', description: 'Invalid request: malformed authorization header' }, JSON.stringify(header.slice(0, 8)));
    }
  });

  test(`${name}: RFC 6750 §2.1 — a kept token followed by anything more is not that token`, async (t) => {
    const kept = await setup(t);
    for (const header of [`Bearer ${kept.token} `, `Bearer ${kept.token}x`, `Bearer ${kept.token}, Bearer ${kept.token}`]) {
      const outcome = await outcomeOf(kept.guard, request({ authorization: header }), [kept.held]);
      t.false(outcome.ok, header.slice(-12));
    }
  });
}

test('database guard, validated-token cache: an entry past half its age is still answered at once, and read again behind', async (t) => {
  const nodes = await twoNodes({ validatedTokenCache: { maxAgeMs: 60_000 } });
  t.teardown(nodes.close);
  const { access } = await signIn(nodes, nodes.here);
  const { guard } = nodes.here;
  await keep(t, guard, access, 'read');
  nodes.clock.advance(40_000);
  const outcome = judgedAtOnce(t, guard, request({ authorization: `Bearer ${access}` }), ['read']);
  t.true(outcome.ok);
  // The refresh lands within its gathering window; the entry then serves a whole bound from it.
  await new Promise((resolve) => setTimeout(resolve, 150));
  nodes.clock.advance(50_000);
  t.true(judgedAtOnce(t, guard, request({ authorization: `Bearer ${access}` }), ['read']).ok);
});
