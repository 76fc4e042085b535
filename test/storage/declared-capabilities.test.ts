/**
 * The storage suite's declared capabilities: a storage declared without the resource port gets the
 * resource tests, and those of a non-null audience, registered as skipped with the reason in their
 * titles; one without the client-registration, session or consent-grant port, its tests; every other
 * test is still declared.
 */
import test, { type ExecutionContext } from 'ava';
import { MemoryStorage, runStorageSuite, type StorageSuiteOptions, type StorageSuiteTest } from '../../src/testing/index.js';

/** The titles the suite declares with these options, each marked skipped or not; nothing runs. */
function declared(capabilities: Pick<StorageSuiteOptions, 'resources' | 'clientRegistrations' | 'sessions' | 'consentGrants'>): Array<{ title: string; skipped: boolean }> {
  const found: Array<{ title: string; skipped: boolean }> = [];
  const add = (skipped: boolean) => (title: string) => void found.push({ title, skipped });
  const registrar: StorageSuiteTest = Object.assign(add(false), {
    skip: add(true),
    serial: Object.assign(add(false), { skip: add(true) }),
    before: () => {},
    after: { always: () => {} },
  });
  runStorageSuite(registrar, {
    name: 'bare',
    ...capabilities,
    setup: async () => ({ storage: new MemoryStorage(), countQueries: () => 0, close: async () => {} }),
  });
  return found;
}

/**
 * Checks that `without` registers at least `atLeast` tests as skipped, each titled with `(reason)`,
 * `rules` among them, and every other test as it is registered by default.
 */
function checkDeclaredSkips(
  t: ExecutionContext,
  without: Pick<StorageSuiteOptions, 'resources' | 'clientRegistrations' | 'sessions' | 'consentGrants'>,
  reason: string,
  atLeast: number,
  rules: readonly string[],
): void {
  const all = declared({});
  const reduced = declared(without);
  t.false(all.some((entry) => entry.skipped), 'nothing is skipped by default');
  t.is(reduced.length, all.length, 'every test is still declared, run or skipped');
  const skipped = reduced.filter((entry) => entry.skipped).map((entry) => entry.title);
  t.true(skipped.length >= atLeast, `${skipped.length} skipped`);
  t.true(skipped.every((title) => title.endsWith(` (${reason})`)), skipped.join('\n'));
  for (const rule of rules) t.true(skipped.includes(`bare: ${rule} (${reason})`), rule);
  const kept = reduced.filter((entry) => !entry.skipped).map((entry) => entry.title);
  t.deepEqual(kept, all.map((entry) => entry.title).filter((title) => !skipped.includes(`${title} (${reason})`)));
}

test('resources: false registers the resource-port and audience tests as skipped, saying so, and every other test as before', (t) => {
  checkDeclaredSkips(t, { resources: false }, 'no resource port', 15, [
    'saveResource of a registered id replaces every field but keeps its createdAt',
    'findResources of several ids is one round trip',
    "RFC 8707 §2 — a token's audience round-trips through a batch insert and every lookup: one resource, several, or none",
    "RFC 8707 §2.1 — an authorization code's audience round-trips: one resource, several, or none",
  ]);
});

test('clientRegistrations: false registers the client-registration tests as skipped, saying so, and every other test as before', (t) => {
  checkDeclaredSkips(t, { clientRegistrations: false }, 'no client-registration port', 12, [
    'saveClientRegistration of a client that has one replaces every field but keeps its createdAt',
    'purgeUnusedClients deletes at most `limit` clients of the kind unused since `before`, with their tokens and codes',
    'touchClientRegistration is one round trip',
  ]);
});

test('sessions: false registers the session tests as skipped, saying so, and every other test as before', (t) => {
  checkDeclaredSkips(t, { sessions: false }, 'no session port', 12, [
    'insertSession rejects a taken id or a taken secret digest with DuplicateError(session) and keeps the stored session',
    'purgeSessions deletes the sessions whose expiresAt is before now, and only those, and says how many',
    'findSession is one round trip',
  ]);
});

test('consentGrants: false registers the consent-grant tests as skipped, saying so, and every other test as before', (t) => {
  checkDeclaredSkips(t, { consentGrants: false }, 'no consent-grant port', 14, [
    'saveConsentGrant of a (user, client) that has one replaces its scope, audience and updatedAt, keeps its createdAt, and leaves one grant',
    'a consent grant goes with its client: deleteClient removes it',
    'saveConsentGrant replacing one is one round trip',
  ]);
});
