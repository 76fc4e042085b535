/**
 * The fetch's first SSRF defence (draft-ietf-oauth-client-id-metadata-document-01 §6.5): the host
 * is resolved by the server itself and refused when ANY of its addresses is special-use — private,
 * loopback, link-local, unique-local, shared, unspecified, multicast, reserved, a cloud metadata
 * service, or an IPv6 form carrying one of those — before any connection is opened. The resolver is
 * the one stand-in (the DNS boundary); an allow-list exempts development hosts.
 */
import test from 'ava';
import { ClientMetadataError } from '../../src/core/index.js';
import { fetchDocument } from '../../src/core/provider/client-metadata/document-fetch.js';
import { resolveClientMetadataOptions, type ClientMetadataDocumentOptions } from '../../src/core/provider/client-metadata/metadata-document-options.js';
import { fakeDns } from './support/document-server.js';

async function refusal(url: string, answers: Record<string, string[]>, options: ClientMetadataDocumentOptions = {}): Promise<ClientMetadataError> {
  const dns = fakeDns(answers);
  const settings = resolveClientMetadataOptions({ lookup: dns.lookup, timeoutMs: 10_000, ...options })!;
  try {
    await fetchDocument(new URL(url), settings);
  } catch (error) {
    if (error instanceof ClientMetadataError) return error;
    throw error;
  }
  throw new Error(`${url} was fetched`);
}

const CLASSES: Array<[string, string, RegExp]> = [
  ['10.0.0.7', 'private 10/8', /a private address \(RFC 1918\)/],
  ['172.16.4.2', 'private 172.16/12', /a private address \(RFC 1918\)/],
  ['172.31.255.254', 'private 172.16/12 (upper end)', /a private address \(RFC 1918\)/],
  ['192.168.1.20', 'private 192.168/16', /a private address \(RFC 1918\)/],
  ['127.0.0.1', 'loopback 127/8', /a loopback address/],
  ['127.3.2.1', 'loopback 127/8 (not .1)', /a loopback address/],
  ['::1', 'IPv6 loopback', /a loopback address/],
  ['169.254.10.20', 'link-local 169.254/16', /a link-local address/],
  ['fe80::1', 'IPv6 link-local fe80::/10', /a link-local address/],
  ['fc00::5', 'unique-local fc00::/7', /a unique-local address/],
  ['fd12:3456::1', 'unique-local fd00::/8', /a unique-local address/],
  ['100.64.0.1', 'shared CGNAT 100.64/10', /carrier-grade NAT/],
  ['100.127.255.254', 'shared CGNAT 100.64/10 (upper end)', /carrier-grade NAT/],
  ['0.0.0.0', 'unspecified IPv4', /an unspecified address/],
  ['::', 'unspecified IPv6', /an unspecified address/],
  ['224.0.0.251', 'IPv4 multicast', /a multicast address/],
  ['ff02::fb', 'IPv6 multicast', /a multicast address/],
  ['255.255.255.255', 'broadcast', /the broadcast address/],
  ['192.0.2.10', 'reserved (documentation)', /a special-use address \(reserved\)/],
  ['240.0.0.1', 'reserved (future use)', /a special-use address \(reserved\)/],
  ['169.254.169.254', 'cloud metadata (IPv4)', /the cloud instance-metadata address/],
  ['fd00:ec2::254', 'cloud metadata (IPv6)', /the cloud instance-metadata address/],
  ['::ffff:10.0.0.7', 'IPv4-mapped private', /a private address \(RFC 1918\), in its IPv4-mapped IPv6 form/],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback', /a loopback address, in its IPv4-mapped IPv6 form/],
  ['::ffff:169.254.169.254', 'IPv4-mapped cloud metadata', /the cloud instance-metadata address, in its IPv4-mapped IPv6 form/],
  ['::a00:7', 'IPv4-compatible', /an IPv4-compatible IPv6 address \(deprecated by RFC 4291\) of 10\.0\.0\.7/],
  ['64:ff9b::a00:7', 'NAT64', /a NAT64 address/],
];

for (const [address, name, reason] of CLASSES) {
  test(`CIMD §6.5 — a host resolving to ${name} (${address}) is refused before any connection`, async (t) => {
    const error = await refusal('https://client.test/client.json', { 'client.test': [address] });
    t.is(error.code, 'client_metadata_forbidden_address');
    t.regex(error.detail ?? '', reason);
    t.true(error.detail?.startsWith(`https://client.test/client.json: client.test resolves to `));
  });
}

test('CIMD §6.5 — one forbidden address among public ones refuses the host', async (t) => {
  const error = await refusal('https://client.test/client.json', { 'client.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '10.0.0.7'] });
  t.is(error.code, 'client_metadata_forbidden_address');
  t.regex(error.detail ?? '', /resolves to 10\.0\.0\.7, which is a private address/);
});

test('CIMD §6.5 — an IP literal is judged without resolving: loopback and metadata literals are refused', async (t) => {
  for (const [url, reason] of [
    ['https://127.0.0.1/client.json', /127\.0\.0\.1 is a loopback address/],
    ['https://[::1]/client.json', /\[::1\] is a loopback address/],
    ['https://169.254.169.254/latest/meta-data', /the cloud instance-metadata address/],
    ['https://[::ffff:a9fe:a9fe]/client.json', /\[::ffff:a9fe:a9fe\] is the cloud instance-metadata address/],
  ] as const) {
    const error = await refusal(url, {});
    t.is(error.code, 'client_metadata_forbidden_address', url);
    t.regex(error.detail ?? '', reason, url);
  }
});

test('a host that does not resolve is refused client_metadata_dns_failed, its detail naming the resolver error', async (t) => {
  const error = await refusal('https://nowhere.test/client.json', {});
  t.is(error.code, 'client_metadata_dns_failed');
  t.is(error.detail, 'https://nowhere.test/client.json: nowhere.test does not resolve (ENOTFOUND)');
  const empty = await refusal('https://empty.test/client.json', { 'empty.test': [] });
  t.is(empty.detail, 'https://empty.test/client.json: empty.test resolves to no address');
});

test('CIMD §6.5 — the message, which clients are shown, is one sentence whether the host is private, unknown or unreachable', async (t) => {
  const refusals = [
    await refusal('https://client.test/client.json', { 'client.test': ['10.96.0.12'] }),
    await refusal('https://client.test/client.json', {}),
    await refusal('https://client.test:1/client.json', { 'client.test': ['127.0.0.1'] }, { allowHosts: ['client.test'] }),
    await refusal('https://10.96.0.12/client.json', {}),
  ];
  t.deepEqual(
    refusals.map((error) => error.code),
    ['client_metadata_forbidden_address', 'client_metadata_dns_failed', 'client_metadata_unreachable', 'client_metadata_forbidden_address'],
  );
  for (const error of refusals) {
    t.is(error.message.replace(/https:\/\/\S+/, '<url>'), 'the client metadata document <url> could not be fetched from a public address');
  }
  t.regex(refusals[0]?.detail ?? '', /client\.test resolves to 10\.96\.0\.12, which is a private address/, 'the operator is told');
  t.regex(refusals[2]?.detail ?? '', /ECONNREFUSED/);
});

test('allowHosts exempts a listed host name, or a listed IP literal, from the address rules — and nothing else', async (t) => {
  // Exempted, the fetch goes on to connect (nothing listens on these ports: unreachable, not forbidden).
  const byName = await refusal('https://dev.test:1/client.json', { 'dev.test': ['127.0.0.1'] }, { allowHosts: ['dev.test'] });
  t.is(byName.code, 'client_metadata_unreachable');
  const literal = await refusal('https://[::1]:1/client.json', {}, { allowHosts: ['[::1]'] });
  t.is(literal.code, 'client_metadata_unreachable');
  const byAddress = await refusal('https://127.0.0.1:1/client.json', {}, { allowHosts: ['127.0.0.1'] });
  t.is(byAddress.code, 'client_metadata_unreachable');
  const other = await refusal('https://other.test:1/client.json', { 'other.test': ['10.0.0.7'] }, { allowHosts: ['dev.test'] });
  t.is(other.code, 'client_metadata_forbidden_address');
});

test('CIMD §6.5 — allowHosts is matched against the host as written, never what a name resolves to: a name resolving to a listed 127.0.0.1 is refused', async (t) => {
  const dns = { 'attacker.test': ['127.0.0.1'], 'mapped.test': ['::ffff:127.0.0.1'] };
  const error = await refusal('https://attacker.test:8080/client.json', dns, { allowHosts: ['127.0.0.1'] });
  t.is(error.code, 'client_metadata_forbidden_address');
  t.regex(error.detail ?? '', /attacker\.test resolves to 127\.0\.0\.1, which is a loopback address/);
  const mapped = await refusal('https://mapped.test:8080/client.json', dns, { allowHosts: ['127.0.0.1', '::ffff:127.0.0.1'] });
  t.is(mapped.code, 'client_metadata_forbidden_address');
});
