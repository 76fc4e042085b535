/**
 * Documents are reused per their HTTP caching headers (draft-ietf-oauth-client-id-metadata-document-01
 * §4.4, RFC 9111 as http-cache-semantics reads it), within a ceiling of `maxCacheSeconds` and a
 * floor of 60 s unless they say `no-store`; failures and invalid documents are never cached;
 * requests for one URL waiting at the same moment share one fetch. Expiry follows the provider's
 * clock.
 */
import test from 'ava';
import { documentFor, startMetadataProvider } from './support/metadata-provider.js';
import { json, serveDocuments } from './support/document-server.js';

const served = serveDocuments(test, ['app.test']);

test('CIMD §4.4 — with max-age, two authorization requests cost one fetch', async (t) => {
  const id = served.server.url('/cached.json');
  served.server.route('/cached.json', json(documentFor(id), { 'cache-control': 'max-age=300' }));
  const { validate } = await startMetadataProvider(served.ca);
  t.true((await validate(id, 'https://app.test/callback')).ok);
  t.true((await validate(id, 'https://app.test/callback')).ok);
  t.is(served.server.hits('/cached.json'), 1);
});

test('CIMD §4.4 — once max-age is over, the document is fetched again', async (t) => {
  const id = served.server.url('/expires.json');
  served.server.route('/expires.json', json(documentFor(id), { 'cache-control': 'max-age=60' }));
  const { validate, advanceClock } = await startMetadataProvider(served.ca);
  t.true((await validate(id, 'https://app.test/callback')).ok);
  advanceClock(59);
  t.true((await validate(id, 'https://app.test/callback')).ok);
  t.is(served.server.hits('/expires.json'), 1);
  advanceClock(2);
  t.true((await validate(id, 'https://app.test/callback')).ok);
  t.is(served.server.hits('/expires.json'), 2);
});

test('CIMD §4.4 — no-store: every request fetches', async (t) => {
  const id = served.server.url('/no-store.json');
  served.server.route('/no-store.json', json(documentFor(id), { 'cache-control': 'no-store' }));
  const { validate } = await startMetadataProvider(served.ca);
  await validate(id, 'https://app.test/callback');
  await validate(id, 'https://app.test/callback');
  t.is(served.server.hits('/no-store.json'), 2);
});

test('CIMD §4.4 — a document whose headers give no freshness is kept 60 s, the server’s lower bound, then fetched again', async (t) => {
  for (const [path, headers] of [
    ['/no-headers.json', {}],
    ['/heuristic.json', { 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' }],
    ['/no-cache.json', { 'cache-control': 'no-cache, max-age=600' }],
    ['/max-age-0.json', { 'cache-control': 'max-age=0' }],
    ['/expired.json', { expires: 'Mon, 01 Jan 2024 00:00:00 GMT' }],
  ] as const) {
    const id = served.server.url(path);
    served.server.route(path, json(documentFor(id), headers));
    const { validate, advanceClock } = await startMetadataProvider(served.ca);
    await validate(id, 'https://app.test/callback');
    advanceClock(59);
    await validate(id, 'https://app.test/callback');
    t.is(served.server.hits(path), 1, path);
    advanceClock(2);
    await validate(id, 'https://app.test/callback');
    t.is(served.server.hits(path), 2, path);
  }
});

test('CIMD §4.4 — maxCacheSeconds bounds the lower bound too: 0 keeps no document', async (t) => {
  const id = served.server.url('/uncached.json');
  served.server.route('/uncached.json', json(documentFor(id), { 'cache-control': 'max-age=600' }));
  const { validate } = await startMetadataProvider(served.ca, { maxCacheSeconds: 0 });
  await validate(id, 'https://app.test/callback');
  await validate(id, 'https://app.test/callback');
  t.is(served.server.hits('/uncached.json'), 2);
});

test('CIMD §4.4 — a max-age beyond maxCacheSeconds is cut to it', async (t) => {
  const id = served.server.url('/long.json');
  served.server.route('/long.json', json(documentFor(id), { 'cache-control': 'max-age=31536000' }));
  const { validate, advanceClock } = await startMetadataProvider(served.ca, { maxCacheSeconds: 3600 });
  await validate(id, 'https://app.test/callback');
  advanceClock(3599);
  await validate(id, 'https://app.test/callback');
  t.is(served.server.hits('/long.json'), 1);
  advanceClock(2);
  await validate(id, 'https://app.test/callback');
  t.is(served.server.hits('/long.json'), 2);
});

test('CIMD §4.4 — a failed fetch is not cached: the next request fetches again', async (t) => {
  const id = served.server.url('/flaky.json');
  let failing = true;
  served.server.route('/flaky.json', (request, response) => {
    if (failing) {
      response.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
      response.end('{}');
    } else json(documentFor(id), { 'cache-control': 'max-age=600' })(request, response);
  });
  const { validate } = await startMetadataProvider(served.ca);
  const first = await validate(id, 'https://app.test/callback');
  t.false(first.ok);
  failing = false;
  t.true((await validate(id, 'https://app.test/callback')).ok);
  t.is(served.server.hits('/flaky.json'), 2);
});

test('CIMD §4.4 — an invalid document is not cached, whatever its headers allow', async (t) => {
  const id = served.server.url('/invalid-then-fixed.json');
  let document: Record<string, unknown> = documentFor('https://someone-else.test/client.json');
  served.server.route('/invalid-then-fixed.json', (request, response) => json(document, { 'cache-control': 'max-age=600' })(request, response));
  const { validate } = await startMetadataProvider(served.ca);
  const refused = await validate(id, 'https://app.test/callback');
  t.false(refused.ok);
  document = documentFor(id);
  t.true((await validate(id, 'https://app.test/callback')).ok);
  t.is(served.server.hits('/invalid-then-fixed.json'), 2);
});

test('requests for one document waiting at the same moment share one fetch', async (t) => {
  const id = served.server.url('/shared.json');
  served.server.route('/shared.json', (request, response) => {
    // Answered a little later, so that every request is waiting on it.
    setTimeout(() => json(documentFor(id))(request, response), 50);
  });
  const { validate } = await startMetadataProvider(served.ca);
  const checks = await Promise.all(Array.from({ length: 5 }, () => validate(id, 'https://app.test/callback')));
  t.true(checks.every((check) => check.ok));
  t.is(served.server.hits('/shared.json'), 1);
});

test('the cache holds at most maxCacheEntries documents, the oldest going first', async (t) => {
  const ids = ['/entry-a.json', '/entry-b.json'].map((path) => {
    const id = served.server.url(path);
    served.server.route(path, json(documentFor(id), { 'cache-control': 'max-age=600' }));
    return id;
  });
  const { validate } = await startMetadataProvider(served.ca, { maxCacheEntries: 1 });
  await validate(ids[0]!, 'https://app.test/callback');
  await validate(ids[1]!, 'https://app.test/callback');
  await validate(ids[1]!, 'https://app.test/callback');
  await validate(ids[0]!, 'https://app.test/callback');
  t.is(served.server.hits('/entry-a.json'), 2);
  t.is(served.server.hits('/entry-b.json'), 1);
});
