/**
 * DNS rebinding: a host that answers a checked address first and a forbidden one on the next
 * question must not get the fetch to the forbidden one. The fetch resolves once, checks what it got
 * and connects to those very addresses (draft-ietf-oauth-client-id-metadata-document-01 §6.5);
 * nothing resolves the name a second time.
 */
import test from 'ava';
import { fetchDocument } from '../../src/core/provider/client-metadata/document-fetch.js';
import { resolveClientMetadataOptions } from '../../src/core/provider/client-metadata/metadata-document-options.js';
import { fakeDns, json, serveDocuments } from './support/document-server.js';

const served = serveDocuments(test, ['rebind.test', 'twice.test']);

function fetchWith(dns: ReturnType<typeof fakeDns>, url: string, allowHosts: string[]) {
  const settings = resolveClientMetadataOptions({ lookup: dns.lookup, ca: served.ca.cert, allowHosts, timeoutMs: 10_000 })!;
  return fetchDocument(new URL(url), settings);
}

test('CIMD §6.5 — the connection goes to the address that was checked, however the name answers afterwards', async (t) => {
  served.server.route('/rebind.json', json({ served: 'by the checked address' }));
  // 127.0.0.1 (the name is allow-listed to reach it) stands for a public address; 10.0.0.7 is what
  // a rebinding attack answers the second time. The name exists nowhere else: a second lookup by
  // Node would fail.
  const dns = fakeDns({ 'rebind.test': [['127.0.0.1'], ['10.0.0.7']] });
  const fetched = await fetchWith(dns, served.server.url('/rebind.json', 'rebind.test'), ['rebind.test']);
  t.is(fetched.body, '{"served":"by the checked address"}');
  t.deepEqual(dns.calls, ['rebind.test'], 'resolved exactly once');
  t.is(served.server.hits('/rebind.json'), 1);
});

test('CIMD §6.5 — with several checked addresses, one that refuses the connection gives way to the next, never to another', async (t) => {
  served.server.route('/twice.json', json({ served: true }));
  // Nothing listens on 127.0.0.2; the server is on 127.0.0.1. Both are checked (the name is allow-listed).
  const dns = fakeDns({ 'twice.test': [['127.0.0.2', '127.0.0.1'], ['10.0.0.7']] });
  const fetched = await fetchWith(dns, served.server.url('/twice.json', 'twice.test'), ['twice.test']);
  t.is(fetched.body, '{"served":true}');
  t.deepEqual(dns.calls, ['twice.test']);
});
