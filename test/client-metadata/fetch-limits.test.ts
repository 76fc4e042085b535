/**
 * The fetch over real HTTPS (a server on 127.0.0.1 with a certificate from the tests' CA, reached
 * by allow-listed names through the stand-in resolver): a small size cap counted as
 * the body arrives (draft-ietf-oauth-client-id-metadata-document-01 §6.6), one time-out for
 * everything, 200 and JSON only (§4), certificates verified against the configured roots, and
 * redirects refused (§4) — or, when enabled, followed within the origin only, each target checked
 * again.
 */
import test from 'ava';
import { ClientMetadataError } from '../../src/core/index.js';
import { fetchDocument } from '../../src/core/provider/client-metadata/document-fetch.js';
import { resolveClientMetadataOptions, type ClientMetadataDocumentOptions } from '../../src/core/provider/client-metadata/metadata-document-options.js';
import { fakeDns, json, redirect, serveDocuments } from './support/document-server.js';

const served = serveDocuments(test, ['app.test', 'other.test']);

/** Fetches `path` of the server as the allow-listed app.test, which resolves to 127.0.0.1. */
function fetchPath(path: string, options: ClientMetadataDocumentOptions = {}, dns = fakeDns({ 'app.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] })) {
  const settings = resolveClientMetadataOptions({ lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test', 'other.test'], timeoutMs: 10_000, ...options })!;
  return fetchDocument(new URL(served.server.url(path)), settings);
}

async function refusal(path: string, options: ClientMetadataDocumentOptions = {}, dns?: ReturnType<typeof fakeDns>): Promise<ClientMetadataError> {
  try {
    await fetchPath(path, options, dns);
  } catch (error) {
    if (error instanceof ClientMetadataError) return error;
    throw error;
  }
  throw new Error(`${path} was fetched`);
}

test('a document is fetched by name over TLS, from the resolved address, with Host naming the host', async (t) => {
  served.server.route('/by-name.json', json({ client_id: 'x' }));
  const fetched = await fetchPath('/by-name.json');
  t.is(fetched.body, '{"client_id":"x"}');
  t.deepEqual(served.server.hostsOf('/by-name.json'), [`app.test:${served.server.port}`]);
});

test('CIMD §6.6 — a document announced larger than maxBytes is refused client_metadata_too_large', async (t) => {
  served.server.route('/announced.json', json(`{"pad":"${'x'.repeat(6000)}"}`, { 'content-length': String(6010) }));
  const error = await refusal('/announced.json');
  t.is(error.code, 'client_metadata_too_large');
  t.regex(error.message, /larger than 5120 bytes/);
});

test('CIMD §6.6 — a body streamed past maxBytes without a length is cut off and refused', async (t) => {
  served.server.route('/streamed.json', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = 'x'.repeat(1024);
    let sent = 0;
    const timer = setInterval(() => {
      // Would go on well past the cap; the fetch must stop reading long before.
      if (sent++ > 100 || response.destroyed) {
        clearInterval(timer);
        response.end();
      } else response.write(chunk);
    }, 1);
  });
  const error = await refusal('/streamed.json');
  t.is(error.code, 'client_metadata_too_large');
});

test('CIMD §6.6 — a document of exactly maxBytes is accepted; maxBytes is configurable', async (t) => {
  const body = `{"p":"${'x'.repeat(300 - 8)}"}`;
  t.is(body.length, 300);
  served.server.route('/exact.json', json(body));
  t.is((await fetchPath('/exact.json', { maxBytes: 300 })).body, body);
  t.is((await refusal('/exact.json', { maxBytes: 299 })).code, 'client_metadata_too_large');
});

test('a server that sends headers and then stalls is refused client_metadata_timeout', async (t) => {
  served.server.route('/stalls.json', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"client_id":');
  });
  const error = await refusal('/stalls.json', { timeoutMs: 300 });
  t.is(error.code, 'client_metadata_timeout');
  t.regex(error.message, /no complete document within 300 ms/);
});

test('a server that never answers is refused client_metadata_timeout', async (t) => {
  served.server.route('/silent.json', () => {});
  t.is((await refusal('/silent.json', { timeoutMs: 300 })).code, 'client_metadata_timeout');
});

test('a resolver that never answers counts against the same time-out', async (t) => {
  const hanging = { lookup: () => new Promise<never>(() => {}), calls: [] };
  t.is((await refusal('/never-resolved.json', { timeoutMs: 200 }, hanging)).code, 'client_metadata_timeout');
});

/** A resolver whose lookups settle only when the test says: `settle()` answers every one still pending. */
function heldDns(): { lookup: (hostname: string) => Promise<Array<{ address: string; family: number }>>; calls: string[]; settle(): void } {
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  return {
    calls,
    lookup(hostname) {
      calls.push(hostname);
      return new Promise((resolve) => pending.push(() => resolve([{ address: '127.0.0.1', family: 4 }])));
    },
    settle: () => pending.splice(0).forEach((answer) => answer()),
  };
}

test('CIMD §6.6 — a lookup that never settles keeps its slot past the time-out: with 2 such, a fetch is refused busy without another lookup', async (t) => {
  const dns = heldDns();
  t.teardown(() => dns.settle());
  // One resolver function, one set of slots in the process, whatever settings use it.
  const settings = resolveClientMetadataOptions({ lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test'], timeoutMs: 100 })!;
  const url = new URL(served.server.url('/held.json'));
  for (let i = 0; i < 2; i += 1) {
    const timedOut = await t.throwsAsync(fetchDocument(url, settings), { instanceOf: ClientMetadataError });
    t.is(timedOut?.code, 'client_metadata_timeout');
  }
  const busy = await t.throwsAsync(fetchDocument(url, settings), { instanceOf: ClientMetadataError });
  t.is(busy?.code, 'client_metadata_busy');
  t.is(busy?.retryAfterSeconds, 1);
  t.regex(busy?.message ?? '', /2 host names are being looked up already; retry in a moment/);
  t.is(dns.calls.length, 2, 'no third lookup was started');

  // Once the lookups end, their slots are free again: for any settings with this resolver.
  dns.settle();
  await new Promise((resolve) => setImmediate(resolve));
  served.server.route('/held.json', json({ settled: true }));
  const patient = resolveClientMetadataOptions({ lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['app.test'], timeoutMs: 10_000 })!;
  const fetched = fetchDocument(url, patient);
  dns.settle();
  t.is((await fetched).body, '{"settled":true}');
  t.is(dns.calls.length, 3);
});

test('CIMD §4 — a status other than 200 is refused client_metadata_http_status', async (t) => {
  for (const status of [404, 500, 204]) {
    served.server.route(`/status-${status}.json`, (_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 204 ? undefined : '{}');
    });
    const error = await refusal(`/status-${status}.json`);
    t.is(error.code, 'client_metadata_http_status');
    t.regex(error.message, new RegExp(`answered HTTP ${status}`));
  }
});

test('CIMD §4.1 — a response that is not JSON by its content type is refused', async (t) => {
  served.server.route('/html', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<html></html>');
  });
  const error = await refusal('/html');
  t.is(error.code, 'client_metadata_content_type');
  t.regex(error.message, /served as "text\/html"/);
  served.server.route('/vendor.json', json('{}', { 'content-type': 'application/vnd.example+json; charset=utf-8' }));
  t.is((await fetchPath('/vendor.json')).body, '{}');
});

test('a certificate from a CA the server does not trust is refused client_metadata_unreachable', async (t) => {
  const dns = fakeDns({ 'app.test': ['127.0.0.1'] });
  const settings = resolveClientMetadataOptions({ lookup: dns.lookup, allowHosts: ['app.test'], timeoutMs: 10_000 })!;
  served.server.route('/untrusted.json', json({}));
  const error = await t.throwsAsync(fetchDocument(new URL(served.server.url('/untrusted.json')), settings), { instanceOf: ClientMetadataError });
  t.is(error?.code, 'client_metadata_unreachable');
  t.regex(error?.detail ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
});

test('a certificate for another name is refused: the name, not the pinned address, is verified', async (t) => {
  const dns = fakeDns({ 'elsewhere.test': ['127.0.0.1'] });
  const settings = resolveClientMetadataOptions({ lookup: dns.lookup, ca: served.ca.cert, allowHosts: ['elsewhere.test'], timeoutMs: 10_000 })!;
  const error = await t.throwsAsync(fetchDocument(new URL(served.server.url('/misnamed.json', 'elsewhere.test')), settings), { instanceOf: ClientMetadataError });
  t.is(error?.code, 'client_metadata_unreachable');
  t.regex(error?.detail ?? '', /ERR_TLS_CERT_ALTNAME_INVALID/);
});

test('CIMD §4 — a redirect is not followed by default', async (t) => {
  served.server.route('/moved.json', redirect('/moved-here.json'));
  served.server.route('/moved-here.json', json({}));
  const error = await refusal('/moved.json');
  t.is(error.code, 'client_metadata_redirect');
  t.regex(error.message, /redirects \(to "\/moved-here\.json"\); redirects are not followed/);
  t.is(served.server.hits('/moved-here.json'), 0);
});

test('with maxRedirects, a redirect within the origin is followed', async (t) => {
  served.server.route('/relocated.json', (_request, response) => {
    response.writeHead(301, { location: `https://app.test:${served.server.port}/target.json` });
    response.end();
  });
  served.server.route('/target.json', json({ moved: true }));
  const fetched = await fetchPath('/relocated.json', { maxRedirects: 2 });
  t.is(fetched.body, '{"moved":true}');
  t.is(fetched.url.pathname, '/target.json');
});

test('a redirect to another host is never followed, whatever maxRedirects allows', async (t) => {
  served.server.route('/cross.json', (_request, response) => {
    response.writeHead(307, { location: `https://other.test:${served.server.port}/cross-target.json` });
    response.end();
  });
  served.server.route('/cross-target.json', json({}));
  const error = await refusal('/cross.json', { maxRedirects: 3 });
  t.is(served.server.hits('/cross-target.json'), 0);
  t.is(error.code, 'client_metadata_redirect');
  t.regex(error.message, /another origin; only redirects within https:\/\/app\.test:\d+ are followed/);
});

test('CIMD §6.5 — a redirect to a cloud metadata address is refused without a connection to it', async (t) => {
  served.server.route('/to-metadata.json', redirect('https://169.254.169.254/latest/meta-data/iam/security-credentials/'));
  const error = await refusal('/to-metadata.json', { maxRedirects: 3 });
  t.is(error.code, 'client_metadata_redirect');
  t.regex(error.message, /169\.254\.169\.254/);
});

test('a redirect to another port or to http on the same host is another origin, refused', async (t) => {
  for (const [index, location] of [`https://app.test:${served.server.port + 1}/x.json`, `http://app.test:${served.server.port}/x.json`].entries()) {
    served.server.route(`/port-${index}.json`, redirect(location));
    t.is((await refusal(`/port-${index}.json`, { maxRedirects: 3 })).code, 'client_metadata_redirect', location);
  }
});

test('CIMD §6.5 — a followed redirect resolves the host again and checks that answer again', async (t) => {
  served.server.route('/recheck.json', redirect('/rechecked.json'));
  served.server.route('/rechecked.json', json({}));
  // The allow-listed name is exempt from the address rules, not from the other checks: its
  // second answer is no address at all.
  const dns = fakeDns({ 'app.test': [['127.0.0.1'], ['not-an-address']] });
  const error = await refusal('/recheck.json', { maxRedirects: 2 }, dns);
  t.is(error.code, 'client_metadata_dns_failed');
  t.regex(error.detail ?? '', /\/rechecked\.json: app\.test resolves to "not-an-address", which is not an IP address/);
  t.deepEqual(dns.calls, ['app.test', 'app.test']);
  t.is(served.server.hits('/rechecked.json'), 0);
});

test('redirects beyond maxRedirects are refused', async (t) => {
  served.server.route('/loop.json', redirect('/loop.json'));
  const error = await refusal('/loop.json', { maxRedirects: 2 });
  t.is(error.code, 'client_metadata_redirect');
  t.regex(error.message, /more than 2 redirects/);
});
