/**
 * Where a protected resource's metadata lives (RFC 9728 §3, §3.1): the well-known string
 * `/.well-known/oauth-protected-resource` inserted between the host and the path and/or query of
 * the resource identifier. Each row is also checked against oauth4webapi, a client that derives the
 * URL itself, so that the URL the kit serves is the one such a client asks for.
 */
import test from 'ava';
import * as oauth from 'oauth4webapi';
import { protectedResourceMetadataUrl } from '../../src/core/index.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

const ROWS: ReadonlyArray<{ rule: string; resource: string; url: string }> = [
  { rule: 'a resource without a path has its metadata at the well-known path itself', resource: 'https://api.example.com', url: `https://api.example.com${WELL_KNOWN}` },
  {
    rule: 'the "/" of an empty path is removed before the well-known string is inserted',
    resource: 'https://api.example.com/',
    url: `https://api.example.com${WELL_KNOWN}`,
  },
  { rule: 'the well-known string goes between the host and the path', resource: 'https://api.example.com/mcp', url: `https://api.example.com${WELL_KNOWN}/mcp` },
  {
    rule: 'every segment of the path follows the well-known string',
    resource: 'https://api.example.com/tenant1/mcp',
    url: `https://api.example.com${WELL_KNOWN}/tenant1/mcp`,
  },
  {
    rule: 'a path ending with "/" keeps it (only a slash right after the host is removed)',
    resource: 'https://api.example.com/mcp/',
    url: `https://api.example.com${WELL_KNOWN}/mcp/`,
  },
  { rule: 'the port stays with the host', resource: 'https://api.example.com:8443/mcp', url: `https://api.example.com:8443${WELL_KNOWN}/mcp` },
  {
    rule: 'a query follows the path, as written',
    resource: 'https://api.example.com/mcp?tenant=a',
    url: `https://api.example.com${WELL_KNOWN}/mcp?tenant=a`,
  },
  {
    rule: 'a query without a path follows the well-known string directly',
    resource: 'https://api.example.com/?tenant=a',
    url: `https://api.example.com${WELL_KNOWN}?tenant=a`,
  },
  {
    rule: 'percent-encoding in the path is kept as written',
    resource: 'https://api.example.com/caf%C3%A9/a%20b',
    url: `https://api.example.com${WELL_KNOWN}/caf%C3%A9/a%20b`,
  },
  { rule: 'an http resource on localhost keeps its scheme and port', resource: 'http://localhost:3000/mcp', url: `http://localhost:3000${WELL_KNOWN}/mcp` },
  { rule: 'an http resource on 127.0.0.2 keeps its scheme and port', resource: 'http://127.0.0.2:8080/mcp', url: `http://127.0.0.2:8080${WELL_KNOWN}/mcp` },
  { rule: 'an http resource on [::1] keeps its brackets and port', resource: 'http://[::1]:8080/mcp', url: `http://[::1]:8080${WELL_KNOWN}/mcp` },
];

/** The URL oauth4webapi's `resourceDiscoveryRequest` would fetch for `resource`, captured instead of fetched. */
async function oauth4webapiUrl(resource: string): Promise<string> {
  let requested = '';
  await oauth.resourceDiscoveryRequest(new URL(resource), {
    [oauth.allowInsecureRequests]: true,
    [oauth.customFetch]: async (url) => {
      requested = url;
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    },
  });
  return requested;
}

for (const { rule, resource, url } of ROWS) {
  test(`RFC 9728 §3.1 — ${rule}: ${resource} → ${url}`, (t) => {
    t.is(protectedResourceMetadataUrl(resource), url);
  });

  test(`RFC 9728 §3.1 — oauth4webapi asks for the same URL the kit derives: ${resource}`, async (t) => {
    t.is(await oauth4webapiUrl(resource), protectedResourceMetadataUrl(resource));
  });
}

test('RFC 9728 §1.2 — the derivation refuses an identifier it would refuse to describe, with the same error', (t) => {
  t.throws(() => protectedResourceMetadataUrl('https://api.example.com/mcp#top'), { code: 'invalid_resource' });
});
