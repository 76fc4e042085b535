/**
 * What a fetched Client ID Metadata Document must say (draft-ietf-oauth-client-id-metadata-document-01
 * §4.1) and what this server requires of a client nobody registered: its own URL as client_id,
 * redirect URIs valid as for a client registering itself (http only on the loopback interface, at
 * most 20), no shared secret of any kind, and since the kit does not support private_key_jwt,
 * public clients only. A refusal names the field.
 */
import test from 'ava';
import { ClientMetadataError } from '../../src/core/index.js';
import { validateDocument } from '../../src/core/provider/client-metadata/document-validation.js';

const ID = 'https://app.example/oauth/client.json';
const valid = { client_id: ID, client_name: 'Example App', redirect_uris: ['https://app.example/callback'] };

function refusal(document: unknown): ClientMetadataError {
  const body = typeof document === 'string' ? document : JSON.stringify(document);
  const error = (() => {
    try {
      validateDocument(ID, 'app.example', body);
    } catch (caught) {
      return caught;
    }
    return new Error('the document was accepted');
  })();
  if (!(error instanceof ClientMetadataError)) throw error;
  return error;
}

test('CIMD §4.1 — a minimal document: its name, redirect URIs, authorization_code only, no scope restriction', (t) => {
  const document = validateDocument(ID, 'app.example', JSON.stringify(valid));
  t.is(document.clientId, ID);
  t.is(document.name, 'Example App');
  t.deepEqual(document.redirectUris, ['https://app.example/callback']);
  t.deepEqual(document.grants, ['authorization_code']);
  t.is(document.scope, null);
  t.deepEqual(JSON.parse(document.metadata), valid);
});

test('CIMD §4.1 — a document whose client_id is not its URL exactly is refused', (t) => {
  for (const clientId of ['https://app.example/oauth/client.json/', 'https://APP.example/oauth/client.json', 'https://evil.example/oauth/client.json', undefined]) {
    const error = refusal({ ...valid, client_id: clientId });
    t.is(error.code, 'client_metadata_invalid');
    t.regex(error.message, /must be the document's URL exactly/);
  }
});

test('CIMD §4.1 — a document that is not a JSON object is refused', (t) => {
  t.regex(refusal('{"client_id":').message, /not valid JSON/);
  t.regex(refusal('[1,2]').message, /not a JSON object/);
  t.regex(refusal('null').message, /not a JSON object/);
});

test('CIMD §4.5 — redirect_uris must be present and non-empty', (t) => {
  const { redirect_uris: _, ...withoutUris } = valid;
  t.regex(refusal(withoutUris).message, /has no redirect_uris/);
  t.regex(refusal({ ...valid, redirect_uris: [] }).message, /has no redirect_uris/);
  t.regex(refusal({ ...valid, redirect_uris: 'https://app.example/callback' }).message, /has no redirect_uris/);
});

test('RFC 6749 §3.1.2 — each redirect URI is valid as for a registered client: absolute, no fragment, no script scheme', (t) => {
  for (const uri of ['/callback', 'https://app.example/cb#frag', 'javascript:alert(1)', 'data:text/html,x', 42]) {
    t.regex(refusal({ ...valid, redirect_uris: [uri] }).message, /redirect_uris\[0\]/, String(uri));
  }
  t.regex(refusal({ ...valid, redirect_uris: ['https://a.example/cb', 'https://a.example/cb'] }).message, /repeats a redirect URI/);
  t.deepEqual(validateDocument(ID, 'app.example', JSON.stringify({ ...valid, redirect_uris: ['http://127.0.0.1/cb', 'com.example.app:/cb'] })).redirectUris, [
    'http://127.0.0.1/cb',
    'com.example.app:/cb',
  ]);
});

test('RFC 6749 §3.1.2.1 — a redirect URI using http on a host other than the loopback interface is refused, as for a client registering itself (RFC 8252 §8.3)', (t) => {
  const error = refusal({ ...valid, redirect_uris: ['https://app.example/callback', 'http://attacker.example/cb'] });
  t.is(error.code, 'client_metadata_invalid');
  t.regex(error.message, /has redirect_uris\[1\] "http:\/\/attacker\.example\/cb", which uses http on a host other than localhost, 127\.0\.0\.1 or \[::1\]/);
  const loopback = ['http://localhost:6274/callback', 'http://127.0.0.1/callback', 'http://[::1]:8080/callback'];
  t.deepEqual(validateDocument(ID, 'app.example', JSON.stringify({ ...valid, redirect_uris: loopback })).redirectUris, loopback);
});

test('a document lists at most 20 redirect URIs, as many as a client registering itself may', (t) => {
  const uris = (count: number) => Array.from({ length: count }, (_, index) => `https://app.example/callback/${index}`);
  t.is(validateDocument(ID, 'app.example', JSON.stringify({ ...valid, redirect_uris: uris(20) })).redirectUris.length, 20);
  t.regex(refusal({ ...valid, redirect_uris: uris(21) }).message, /lists more than 20 redirect_uris/);
});

test('CIMD §4.1 — a token_endpoint_auth_method built on a shared secret is refused', (t) => {
  for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt']) {
    const error = refusal({ ...valid, token_endpoint_auth_method: method });
    t.is(error.code, 'client_metadata_invalid');
    t.regex(error.message, new RegExp(`${method}, which needs a shared secret`));
  }
});

test('CIMD §6.2 — private_key_jwt, which this server does not support, is refused clearly', (t) => {
  const error = refusal({ ...valid, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://app.example/jwks.json' });
  t.regex(error.message, /"private_key_jwt"; this server accepts only public clients \("none"\)/);
});

test('CIMD §4.1 — a document carrying client_secret or client_secret_expires_at is refused', (t) => {
  t.regex(refusal({ ...valid, client_secret: 's3cret' }).message, /has client_secret;/);
  t.regex(refusal({ ...valid, client_secret_expires_at: 0 }).message, /has client_secret_expires_at;/);
});

test('CIMD §4.1 — token_endpoint_auth_method "none", or none given, is a public client', (t) => {
  t.notThrows(() => validateDocument(ID, 'app.example', JSON.stringify({ ...valid, token_endpoint_auth_method: 'none' })));
  t.notThrows(() => validateDocument(ID, 'app.example', JSON.stringify(valid)));
});

test('RFC 6749 §2.1 — grant types are authorization_code and refresh_token only, authorization_code among them', (t) => {
  const both = validateDocument(ID, 'app.example', JSON.stringify({ ...valid, grant_types: ['refresh_token', 'authorization_code'] }));
  t.deepEqual(both.grants, ['authorization_code', 'refresh_token']);
  t.regex(refusal({ ...valid, grant_types: ['authorization_code', 'client_credentials'] }).message, /grant type "client_credentials"/);
  t.regex(refusal({ ...valid, grant_types: ['authorization_code', 'password'] }).message, /grant type "password"/);
  t.regex(refusal({ ...valid, grant_types: ['refresh_token'] }).message, /does not include authorization_code/);
  t.regex(refusal({ ...valid, response_types: ['code', 'token'] }).message, /response types other than "code"/);
});

test('the name is client_name, or the URL host when there is none; a bad client_name is refused', (t) => {
  const { client_name: _, ...unnamed } = valid;
  t.is(validateDocument(ID, 'app.example', JSON.stringify(unnamed)).name, 'app.example');
  t.regex(refusal({ ...valid, client_name: '' }).message, /client_name/);
  t.regex(refusal({ ...valid, client_name: 'x'.repeat(256) }).message, /client_name/);
  t.regex(refusal({ ...valid, client_name: 'bad\u0000name' }).message, /client_name/);
});

test('RFC 6749 §3.3 — a declared scope is read as scope tokens; a malformed one is refused', (t) => {
  t.deepEqual(validateDocument(ID, 'app.example', JSON.stringify({ ...valid, scope: 'read  write' })).scope, ['read', 'write']);
  t.regex(refusal({ ...valid, scope: 'read "write"' }).message, /scope/);
});
