/**
 * Which client_id values are client identifier URLs (draft-ietf-oauth-client-id-metadata-document-01
 * §3): https, with a path, no fragment, no userinfo, no dot segments — written in canonical form and
 * short enough for the storage. A refused URL names the rule it broke, before anything is fetched.
 */
import test from 'ava';
import { ClientMetadataError } from '../../src/core/index.js';
import { clientIdUrlHost, isClientIdUrlCandidate, parseClientIdUrl } from '../../src/core/provider/client-metadata/client-id-url.js';

function refusal(clientId: string): ClientMetadataError {
  try {
    parseClientIdUrl(clientId);
  } catch (error) {
    if (error instanceof ClientMetadataError) return error;
    throw error;
  }
  throw new Error(`${clientId} was accepted`);
}

test('CIMD §3 — an https URL with a path is a client identifier URL', (t) => {
  t.is(parseClientIdUrl('https://app.example/oauth/client.json').host, 'app.example');
  t.is(parseClientIdUrl('https://app.example:8443/client?v=1').host, 'app.example:8443');
});

test('CIMD §3 — an http URL is refused client_metadata_not_https', (t) => {
  const error = refusal('http://app.example/client.json');
  t.is(error.code, 'client_metadata_not_https');
  t.regex(error.message, /not https/);
});

test('CIMD §3 — a URL without a path (or only "/") is refused', (t) => {
  for (const id of ['https://app.example', 'https://app.example/']) {
    const error = refusal(id);
    t.is(error.code, 'client_metadata_invalid_url', id);
    t.regex(error.message, /must have a path/, id);
  }
});

test('CIMD §3 — a URL with a fragment is refused', (t) => {
  t.regex(refusal('https://app.example/client.json#x').message, /fragment/);
  t.regex(refusal('https://app.example/client.json#').message, /fragment/);
});

test('CIMD §3 — a URL with a username or password is refused', (t) => {
  t.regex(refusal('https://user@app.example/client.json').message, /username or password/);
  t.regex(refusal('https://user:secret@app.example/client.json').message, /username or password/);
  t.regex(refusal('https://@app.example/client.json').message, /username or password/);
});

test('CIMD §3 — "." and ".." path segments are refused, percent-encoded ones too', (t) => {
  for (const id of ['https://app.example/./client.json', 'https://app.example/a/../client.json', 'https://app.example/%2e%2E/client.json', 'https://app.example/a/.']) {
    t.regex(refusal(id).message, /"\." or "\.\." segments/, id);
  }
  t.is(parseClientIdUrl('https://app.example/.well-known/client.json').pathname, '/.well-known/client.json');
});

test('a URL not in canonical form is refused, naming the canonical form', (t) => {
  const error = refusal('https://App.Example:443/client.json');
  t.is(error.code, 'client_metadata_invalid_url');
  t.true(error.message.includes('"https://app.example/client.json"'));
});

test('a URL longer than the 128 characters a client id may have is refused, saying so', (t) => {
  const id = `https://app.example/${'a'.repeat(109)}`;
  t.is(id.length, 129);
  const error = refusal(id);
  t.is(error.code, 'client_metadata_invalid_url');
  t.regex(error.message, /129 characters long; this server stores client ids of at most 128/);
  t.notThrows(() => parseClientIdUrl(id.slice(0, 128)));
});

test('CIMD §6.9 — ids of registered clients are never taken for URLs; strings naming a scheme are', (t) => {
  for (const id of ['spa', 'my-client_1.0~x', '4f6c2b8e-1d1a-4c1e-9a57-1f0d1e2a3b4c']) t.false(isClientIdUrlCandidate(id), id);
  for (const id of ['https://app.example/c', 'http://app.example/c', 'urn:example:client']) t.true(isClientIdUrlCandidate(id), id);
  t.false(isClientIdUrlCandidate(42));
});

test('CIMD §6.4 — the host shown for a URL client_id, and none for another id', (t) => {
  t.is(clientIdUrlHost('https://app.example/client.json'), 'app.example');
  t.is(clientIdUrlHost('https://app.example:8443/client.json'), 'app.example:8443');
  t.is(clientIdUrlHost('spa'), null);
});
