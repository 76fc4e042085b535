/**
 * The protected resource metadata document (RFC 9728 §2) and the checks that refuse a wrong
 * description when it is built, each with its stable `code` and the option it names.
 */
import test from 'ava';
import {
  ProtectedResourceMetadataError,
  protectedResourceMetadata,
  type ProtectedResourceMetadataErrorCode,
  type ProtectedResourceOptions,
} from '../../src/core/index.js';

const MINIMAL: ProtectedResourceOptions = { resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] };

test('RFC 9728 §2 — the document publishes every configured parameter under its registered name', (t) => {
  const { metadata } = protectedResourceMetadata({
    resource: 'https://api.example.com/mcp',
    authorizationServers: ['https://auth.example.com', 'https://login.example.net/tenant1'],
    scopesSupported: ['mcp:tools', 'mcp:resources'],
    bearerMethodsSupported: ['header', 'body'],
    resourceName: 'Example MCP server',
    resourceDocumentation: 'https://docs.example.com/mcp',
    resourcePolicyUri: 'https://example.com/policy',
    resourceTosUri: 'https://example.com/terms',
  });
  t.deepEqual(JSON.parse(JSON.stringify(metadata)), {
    resource: 'https://api.example.com/mcp',
    authorization_servers: ['https://auth.example.com', 'https://login.example.net/tenant1'],
    scopes_supported: ['mcp:tools', 'mcp:resources'],
    bearer_methods_supported: ['header', 'body'],
    resource_name: 'Example MCP server',
    resource_documentation: 'https://docs.example.com/mcp',
    resource_policy_uri: 'https://example.com/policy',
    resource_tos_uri: 'https://example.com/terms',
  });
});

test('RFC 9728 §2 — the resource is published exactly as configured, a root without its "/" included', (t) => {
  t.is(protectedResourceMetadata({ ...MINIMAL, resource: 'https://api.example.com' }).metadata.resource, 'https://api.example.com');
});

test('RFC 9728 §2 — bearer_methods_supported defaults to the Authorization header alone', (t) => {
  t.deepEqual(protectedResourceMetadata(MINIMAL).metadata.bearer_methods_supported, ['header']);
});

test('RFC 9728 §2 — an empty bearer_methods_supported is published as [] (no method supported)', (t) => {
  t.deepEqual(protectedResourceMetadata({ ...MINIMAL, bearerMethodsSupported: [] }).metadata.bearer_methods_supported, []);
});

test('RFC 9728 §3.2 — an empty scopes_supported is omitted, as a parameter with zero values', (t) => {
  t.false('scopes_supported' in protectedResourceMetadata({ ...MINIMAL, scopesSupported: [] }).metadata);
});

test('RFC 9728 §2 — optional parameters left unset are absent from the document', (t) => {
  t.deepEqual(Object.keys(protectedResourceMetadata(MINIMAL).metadata), ['resource', 'authorization_servers', 'bearer_methods_supported']);
});

test('the description is frozen: no caller can change what every client is served', (t) => {
  const described = protectedResourceMetadata({ ...MINIMAL, scopesSupported: ['read'] });
  t.true(Object.isFrozen(described));
  t.true(Object.isFrozen(described.metadata));
  t.true(Object.isFrozen(described.metadata.authorization_servers));
  t.true(Object.isFrozen(described.metadata.scopes_supported));
});

test('the options are copied: changing the arrays passed in later changes nothing', (t) => {
  const servers = ['https://auth.example.com'];
  const described = protectedResourceMetadata({ ...MINIMAL, authorizationServers: servers });
  servers.push('https://evil.example');
  t.deepEqual(described.metadata.authorization_servers, ['https://auth.example.com']);
});

test('RFC 9728 §3.1 — the description carries its well-known URL', (t) => {
  t.is(protectedResourceMetadata(MINIMAL).metadataUrl, 'https://api.example.com/.well-known/oauth-protected-resource/mcp');
});

/** A description that must be refused, and how. */
interface Refusal {
  rule: string;
  options: Partial<Record<keyof ProtectedResourceOptions, unknown>>;
  code: ProtectedResourceMetadataErrorCode;
  field: string;
  /** A phrase of the message, which says what is expected. */
  says: RegExp;
}

const REFUSALS: readonly Refusal[] = [
  { rule: 'RFC 9728 §1.2 — a resource that is not an absolute URL', options: { resource: '/mcp' }, code: 'invalid_resource', field: 'resource', says: /absolute URL/ },
  { rule: 'RFC 9728 §1.2 — a resource that is not a string', options: { resource: 42 }, code: 'invalid_resource', field: 'resource', says: /URL string/ },
  {
    rule: 'RFC 9728 §1.2 — a plain http resource on a host that is not loopback',
    options: { resource: 'http://api.example.com/mcp' },
    code: 'invalid_resource',
    field: 'resource',
    says: /must use https/,
  },
  {
    rule: 'RFC 9728 §1.2 — a resource of another scheme',
    options: { resource: 'wss://api.example.com/mcp' },
    code: 'invalid_resource',
    field: 'resource',
    says: /must use https/,
  },
  { rule: 'RFC 9728 §1.2 — a resource with a fragment', options: { resource: 'https://api.example.com/mcp#tools' }, code: 'invalid_resource', field: 'resource', says: /fragment/ },
  { rule: 'RFC 9728 §1.2 — a resource with an empty fragment', options: { resource: 'https://api.example.com/mcp#' }, code: 'invalid_resource', field: 'resource', says: /fragment/ },
  {
    rule: 'RFC 9728 §3.3 — a resource with an upper-case host, which clients would not find identical',
    options: { resource: 'https://API.example.com/mcp' },
    code: 'invalid_resource',
    field: 'resource',
    says: /"https:\/\/api\.example\.com\/mcp"/,
  },
  {
    rule: 'RFC 9728 §3.3 — a resource with its default port written out',
    options: { resource: 'https://api.example.com:443/mcp' },
    code: 'invalid_resource',
    field: 'resource',
    says: /"https:\/\/api\.example\.com\/mcp"/,
  },
  {
    rule: 'RFC 9728 §3.3 — a resource with a character the URL parser percent-encodes',
    options: { resource: 'https://api.example.com/my mcp' },
    code: 'invalid_resource',
    field: 'resource',
    says: /"https:\/\/api\.example\.com\/my%20mcp"/,
  },
  { rule: 'a resource ending with an empty query', options: { resource: 'https://api.example.com/mcp?' }, code: 'invalid_resource', field: 'resource', says: /empty query/ },
  {
    rule: 'a resource carrying credentials',
    options: { resource: 'https://user:secret@api.example.com/mcp' },
    code: 'invalid_resource',
    field: 'resource',
    says: /user name or password/,
  },
  {
    rule: 'RFC 9728 §2 — no authorization server at all',
    options: { authorizationServers: [] },
    code: 'invalid_authorization_servers',
    field: 'authorizationServers',
    says: /at least one/,
  },
  {
    rule: 'RFC 9728 §2 — authorization servers that are not a list',
    options: { authorizationServers: 'https://auth.example.com' },
    code: 'invalid_authorization_servers',
    field: 'authorizationServers',
    says: /array/,
  },
  {
    rule: 'RFC 8414 §2 — an authorization server issuer with a query',
    options: { authorizationServers: ['https://auth.example.com', 'https://auth.example.com/?tenant=a'] },
    code: 'invalid_authorization_servers',
    field: 'authorizationServers[1]',
    says: /issuer identifier/,
  },
  {
    rule: 'RFC 8414 §2 — an authorization server issuer with a fragment',
    options: { authorizationServers: ['https://auth.example.com#a'] },
    code: 'invalid_authorization_servers',
    field: 'authorizationServers[0]',
    says: /issuer identifier/,
  },
  {
    rule: 'RFC 8414 §2 — a plain http authorization server on a host that is not loopback',
    options: { authorizationServers: ['http://auth.example.com'] },
    code: 'invalid_authorization_servers',
    field: 'authorizationServers[0]',
    says: /must use https/,
  },
  {
    rule: 'the same authorization server twice',
    options: { authorizationServers: ['https://auth.example.com', 'https://auth.example.com'] },
    code: 'invalid_authorization_servers',
    field: 'authorizationServers',
    says: /twice/,
  },
  {
    rule: 'RFC 6749 §3.3 — a supported scope that is not a scope-token',
    options: { scopesSupported: ['read', 'read write'] },
    code: 'invalid_scopes_supported',
    field: 'scopesSupported[1]',
    says: /scope-token/,
  },
  { rule: 'the same scope twice', options: { scopesSupported: ['read', 'read'] }, code: 'invalid_scopes_supported', field: 'scopesSupported', says: /twice/ },
  {
    rule: 'RFC 9728 §2 — a bearer method other than header, body and query',
    options: { bearerMethodsSupported: ['header', 'cookie'] },
    code: 'invalid_bearer_methods_supported',
    field: 'bearerMethodsSupported[1]',
    says: /"header", "body" or "query"/,
  },
  { rule: 'RFC 9728 §2 — a blank resource name', options: { resourceName: '  ' }, code: 'invalid_resource_name', field: 'resourceName', says: /non-blank/ },
  {
    rule: 'RFC 9728 §2 — a resource name with a control character',
    options: { resourceName: 'MCP\nserver' },
    code: 'invalid_resource_name',
    field: 'resourceName',
    says: /control characters/,
  },
  {
    rule: 'RFC 9728 §2 — resource documentation that is not an absolute URL',
    options: { resourceDocumentation: 'docs/mcp' },
    code: 'invalid_resource_documentation',
    field: 'resourceDocumentation',
    says: /absolute URL/,
  },
  {
    rule: 'RFC 9728 §2 — a policy page over plain http on a host that is not loopback',
    options: { resourcePolicyUri: 'http://example.com/policy' },
    code: 'invalid_resource_policy_uri',
    field: 'resourcePolicyUri',
    says: /must use https/,
  },
  {
    rule: 'RFC 9728 §2 — terms of service that are not a URL',
    options: { resourceTosUri: 'see the website' },
    code: 'invalid_resource_tos_uri',
    field: 'resourceTosUri',
    says: /absolute URL/,
  },
];

for (const refusal of REFUSALS) {
  test(`${refusal.rule}: refused at construction with code ${refusal.code}, naming ${refusal.field}`, (t) => {
    const error = t.throws(() => protectedResourceMetadata({ ...MINIMAL, ...refusal.options } as ProtectedResourceOptions), {
      instanceOf: ProtectedResourceMetadataError,
    });
    t.is(error?.code, refusal.code);
    t.is(error?.field, refusal.field);
    t.true(error?.message.startsWith(`${refusal.field} `), error?.message);
    t.regex(error?.message ?? '', refusal.says);
  });
}

for (const resource of ['http://localhost:3000/mcp', 'http://127.0.0.1:3000/mcp', 'http://127.0.0.2/mcp', 'http://[::1]:3000/mcp']) {
  test(`RFC 9728 §1.2 — plain http is accepted on a loopback host, for development: ${resource}`, (t) => {
    t.is(protectedResourceMetadata({ ...MINIMAL, resource }).resource, resource);
  });
}

test('RFC 9728 §1.2 — a resource with a query is accepted, as the RFC recognises one may be needed', (t) => {
  t.is(protectedResourceMetadata({ ...MINIMAL, resource: 'https://api.example.com/mcp?tenant=a' }).metadata.resource, 'https://api.example.com/mcp?tenant=a');
});

test('RFC 8414 §2 — an authorization server issuer with a path is accepted as written', (t) => {
  const issuer = 'https://login.example.com/tenants/a';
  t.deepEqual(protectedResourceMetadata({ ...MINIMAL, authorizationServers: [issuer] }).metadata.authorization_servers, [issuer]);
});
