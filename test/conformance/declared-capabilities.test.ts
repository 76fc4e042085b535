/**
 * The conformance suite's declared capabilities: a test needing one that the options declare false
 * is registered as skipped, its title saying why; when the options leave it at its default (true)
 * and the setup gives no means for it, the test fails saying what to provide.
 */
import test from 'ava';
import { OAuthProvider } from '../../src/core/index.js';
import {
  MemoryStorage,
  runConformanceSuite,
  type ConformanceAssertions,
  type ConformanceSuiteOptions,
} from '../../src/testing/index.js';

interface Declared {
  title: string;
  skipped: boolean;
  implementation: (t: ConformanceAssertions) => Promise<void>;
}

/** What the suite declares for a setup with neither countQueries() nor dumpAllRows(). */
function declared(capabilities: Pick<ConformanceSuiteOptions, 'inspectsRows' | 'countsQueries' | 'storesResources' | 'storesSigningKeys' | 'storesClientRegistrations'>): Declared[] {
  const found: Declared[] = [];
  const registrar = Object.assign(
    (title: string, implementation: Declared['implementation']) => void found.push({ title, skipped: false, implementation }),
    { skip: (title: string, implementation: Declared['implementation']) => void found.push({ title, skipped: true, implementation }) },
  );
  runConformanceSuite(registrar, {
    name: 'bare',
    ...capabilities,
    setup: async (options) => ({ provider: new OAuthProvider(new MemoryStorage(), options), close: async () => {} }),
  });
  return found;
}

const AT_REST = 'bare › a dump of every table holds no usable credential';
const SIGNING_KEY_AT_REST =
  'bare › RFC 7516 §7.1 — a signing key’s private half is stored only as a JWE under the operator key: no stored value holds its private member';
const REGISTRATION_AT_REST = "bare › a self-registered client's secret and registration access token are stored only as digests";
const COSTS = [
  "bare › a self-registered client's first token of a day costs one round trip more (its last use), the next ones none; an operator's client never",
  'bare › validating an access token costs one storage round trip',
  'bare › issuing a client_credentials token costs at most two storage round trips',
  'bare › a refresh costs at most four storage round trips',
];

test('capabilities declared false register their tests as skipped, with the reason in the title', (t) => {
  const all = declared({});
  const reduced = declared({ inspectsRows: false, countsQueries: false });
  t.is(reduced.length, all.length, 'every test is still declared, run or skipped');
  t.deepEqual(
    reduced.filter((entry) => entry.skipped).map((entry) => entry.title),
    [
      ...[SIGNING_KEY_AT_REST, AT_REST, REGISTRATION_AT_REST].map((title) => `${title} (not checked: declared inspectsRows: false, the storage cannot dump its rows)`),
      ...COSTS.map((title) => `${title} (not checked: declared countsQueries: false, the storage counts no queries)`),
    ],
  );
  t.deepEqual(
    reduced.filter((entry) => !entry.skipped).map((entry) => entry.title),
    all.filter((entry) => ![SIGNING_KEY_AT_REST, AT_REST, REGISTRATION_AT_REST, ...COSTS].includes(entry.title)).map((entry) => entry.title),
  );
  t.false(all.some((entry) => entry.skipped), 'nothing is skipped by default');
});

test('one capability declared false skips only its own tests', (t) => {
  const skipped = (capabilities: Parameters<typeof declared>[0]) =>
    declared(capabilities).filter((entry) => entry.skipped).map((entry) => entry.title.replace(/ \(not checked: .*\)$/, ''));
  t.deepEqual(skipped({ inspectsRows: false }), [SIGNING_KEY_AT_REST, AT_REST, REGISTRATION_AT_REST]);
  t.deepEqual(skipped({ countsQueries: false }), COSTS);
});

test('by default, a setup without dumpAllRows() fails the at-rest test, saying to provide it or declare inspectsRows: false', async (t) => {
  const atRest = declared({}).find((entry) => entry.title === AT_REST)!;
  await t.throwsAsync(atRest.implementation(t), { message: /no dumpAllRows\(\).*inspectsRows: false/ });
});

for (const title of COSTS) {
  test(`by default, a setup without countQueries() fails "${title.slice('bare › '.length)}", saying to provide it or declare countsQueries: false`, async (t) => {
    const cost = declared({}).find((entry) => entry.title === title)!;
    await t.throwsAsync(cost.implementation(t), { message: /no countQueries\(\)\/resetQueryCount\(\).*countsQueries: false/ });
  });
}

test('storesResources: false skips every test that registers a resource and declares instead those of a server without resources', (t) => {
  const all = declared({});
  const reduced = declared({ storesResources: false });
  const skipped = reduced.filter((entry) => entry.skipped);
  t.true(skipped.length > 0);
  t.true(skipped.every((entry) => entry.title.endsWith('(not checked: declared storesResources: false, the storage keeps no resources)')));
  const instead = reduced.filter((entry) => !entry.skipped && !all.some((other) => other.title === entry.title)).map((entry) => entry.title);
  t.deepEqual(instead, [
    'bare › RFC 8707 §2.1 — a storage without the resource port has every resource redirected invalid_target',
    'bare › RFC 8707 §2.2 — a storage without the resource port has every resource refused 400 invalid_target',
    'bare › without a resource port, every provider.resources method throws a TypeError saying the storage keeps no resources',
  ]);
  t.is(reduced.length, all.length + instead.length, 'every other test is still declared, run or skipped');
});

test('storesSigningKeys: false skips every JWT access-token test and declares instead the one of a server without signing keys', (t) => {
  const all = declared({});
  const reduced = declared({ storesSigningKeys: false });
  const skipped = reduced.filter((entry) => entry.skipped);
  t.true(skipped.length >= 10);
  t.true(skipped.every((entry) => entry.title.endsWith('(not checked: declared storesSigningKeys: false, the storage keeps no signing keys)')));
  const instead = reduced.filter((entry) => !entry.skipped && !all.some((other) => other.title === entry.title)).map((entry) => entry.title);
  t.deepEqual(instead, [
    'bare › without a signing-key port, a resource cannot be defined with tokenFormat jwt, and provider.keys throws a TypeError saying the storage keeps no signing keys',
  ]);
  t.is(reduced.length, all.length + instead.length, 'every other test is still declared, run or skipped');
});

test('storesClientRegistrations: false skips every dynamic-registration test, and nothing else', (t) => {
  const all = declared({});
  const reduced = declared({ storesClientRegistrations: false });
  const skipped = reduced.filter((entry) => entry.skipped);
  t.true(skipped.length >= 9, `${skipped.length} skipped`);
  t.true(skipped.every((entry) => entry.title.endsWith('(not checked: declared storesClientRegistrations: false, the storage keeps no client registrations)')));
  t.is(reduced.length, all.length, 'every test is still declared, run or skipped');
});
