import { errorOf } from './harness.js';
import type { DefineConformanceTest } from './define.js';

/** How the token endpoint treats the HTTP request it is given (RFC 6749 §3.1, §3.2, §5.2). */
export function tokenEndpointHttp(define: DefineConformanceTest): void {
  define('a JSON body already parsed by the binding is accepted', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.controller.token({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      query: {},
      body: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
    });
    t.is(response.status, 200);
  });

  define('RFC 6749 §3.2 — a repeated parameter is refused with 400 invalid_request', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.token({ grant_type: 'client_credentials', scope: ['read', 'write'] }, client);
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_request');
  });

  define('RFC 6749 §5.2 — a non-string OAuth parameter is refused with 400 invalid_request', async (t, h) => {
    const client = await h.registerClient();
    const response = await h.token({ grant_type: { $ne: null } }, client);
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_request');
  });

  define('RFC 6749 §3.2 — a GET token request is refused with 400 invalid_request', async (t, h) => {
    const response = await h.controller.token({ method: 'GET', headers: {}, query: { grant_type: 'client_credentials' }, body: {} });
    t.is(response.status, 400);
    t.is(errorOf(response), 'invalid_request');
  });

  define('RFC 6749 §5.2 — an unsupported grant type is refused with unsupported_grant_type', async (t, h) => {
    const client = await h.registerClient();
    t.is(errorOf(await h.token({ grant_type: 'urn:example:unknown' }, client)), 'unsupported_grant_type');
  });

  define('error responses never echo a presented secret or token', async (t, h) => {
    const client = await h.registerClient();
    const secret = `${client.secret}-wrong`;
    const failures = [
      await h.token({ grant_type: 'client_credentials' }, { id: client.id, secret }),
      await h.token({ grant_type: 'refresh_token', refresh_token: secret }, client),
      await h.token({ grant_type: 'authorization_code', code: secret }, client),
      await h.token({ grant_type: 'password', username: 'nobody', password: secret }, client),
    ];
    for (const response of failures) {
      t.not(response.status, 200);
      t.false(JSON.stringify(response).includes(secret));
    }
  });
}
