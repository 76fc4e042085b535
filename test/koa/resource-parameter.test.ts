/**
 * The token endpoint's `resource` parameter over real HTTP (RFC 8707 §2.2): the one parameter that
 * may be repeated, as repeated form values or, in a JSON body, as an array; refused
 * `invalid_target` as an RFC 6749 §5.2 JSON error that is never cached.
 */
import test from 'ava';
import { basic } from './support/http-server.js';
import { postTo, startE2eServer, type E2eFixture } from './support/oauth-server.js';

const CALENDAR = 'https://calendar.example/';
const CONTACTS = 'https://contacts.example/api';

let fixture: E2eFixture;
let authorization: string;

test.before(async () => {
  fixture = await startE2eServer();
  await fixture.provider.resources.define({ id: CALENDAR, name: 'Calendar' });
  await fixture.provider.resources.define({ id: CONTACTS, name: 'Contacts' });
  authorization = basic(fixture.confidential.id, fixture.confidential.secret);
});

test.after.always(() => fixture?.close());

/** The `aud` introspection reports for an access token of the confidential client. */
async function audienceOf(accessToken: string): Promise<unknown> {
  const { json } = await postTo(fixture.endpoint('introspect'), { token: accessToken }, { authorization });
  return json.aud;
}

test('RFC 8707 §2.2 — repeated resource form values ask for a token for every one of them', async (t) => {
  const body: Array<[string, string]> = [
    ['grant_type', 'client_credentials'],
    ['resource', CONTACTS],
    ['resource', CALENDAR],
  ];
  const { status, json } = await postTo(fixture.endpoint('token'), body, { authorization });
  t.is(status, 200);
  t.deepEqual(await audienceOf(json.access_token), [CONTACTS, CALENDAR]);
});

test('RFC 8707 §2.2 — a JSON body names several resources as an array of strings', async (t) => {
  const response = await fetch(fixture.endpoint('token'), {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', resource: [CALENDAR, CONTACTS] }),
  });
  t.is(response.status, 200);
  const json = (await response.json()) as { access_token: string };
  t.deepEqual(await audienceOf(json.access_token), [CALENDAR, CONTACTS]);
});

test('RFC 8707 §2, RFC 6749 §5.2 — invalid_target is a 400 JSON error with a description, sent with no-store', async (t) => {
  const { status, headers, json } = await postTo(
    fixture.endpoint('token'),
    [
      ['grant_type', 'client_credentials'],
      ['resource', 'https://unknown.example/'],
    ],
    { authorization },
  );
  t.is(status, 400);
  t.regex(headers.get('content-type') ?? '', /^application\/json/);
  t.is(headers.get('cache-control'), 'no-store');
  t.deepEqual(json, { error: 'invalid_target', error_description: 'Invalid target: no resource https://unknown.example/ is registered' });
});

test('RFC 8707 §2 — a resource in a JSON body that is not a string is refused invalid_target', async (t) => {
  for (const resource of [42, { uri: CALENDAR }, [CALENDAR, null]]) {
    const response = await fetch(fixture.endpoint('token'), {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', resource }),
    });
    t.is(response.status, 400, JSON.stringify(resource));
    t.is(((await response.json()) as { error: string }).error, 'invalid_target');
  }
});
