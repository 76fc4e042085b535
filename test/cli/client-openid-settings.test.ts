/**
 * `oauth2-kit client create|update|show|list` and a client's OpenID Connect settings: post-logout
 * redirect URIs (OIDC RP-Initiated Logout §3.1), the ID token algorithm (OIDC Registration §2),
 * the subject type and sector (OIDC Core §8), against a fresh PostgreSQL database, through the
 * real bin.
 */
import test from 'ava';
import { provisionPostgres } from '../support/databases.js';
import { runCli, runCliJson } from './support/run-cli.js';

const database = await provisionPostgres();

interface ClientJson {
  id: string;
  postLogoutRedirectUris: string[];
  idTokenSignedResponseAlg: string | null;
  subjectType: string;
  sectorIdentifier: string | null;
  [key: string]: unknown;
}

if ('skip' in database) {
  console.warn(`[cli/client-openid-settings] skipped: ${database.skip}`);
  test.skip('cli: client OpenID Connect settings (no PostgreSQL server)', () => {});
} else {
  const db = ['--database-url', database.url];
  test.after.always(() => database.close());

  const create = (id: string, ...extra: string[]) =>
    runCli([...db, 'client', 'create', '--id', id, '--name', `RP ${id}`, '--grant', 'authorization_code', '--redirect-uri', `https://${id}.example/callback`, ...extra]);

  test('OIDC RP-Initiated Logout §3.1 — client create takes --post-logout-redirect-uri (repeatable), --id-token-alg, --subject-type and --sector-identifier; show and --json give them back', async (t) => {
    const created = await create(
      'full',
      '--redirect-uri', 'https://www.full.example/callback',
      '--post-logout-redirect-uri', 'https://full.example/bye',
      '--post-logout-redirect-uri', 'https://full.example/signed-out',
      '--id-token-alg', 'RS256',
      '--subject-type', 'pairwise',
      '--sector-identifier', 'full.example',
    );
    t.is(created.code, 0, created.stderr);
    const shown = await runCliJson<ClientJson>([...db, 'client', 'show', 'full']);
    t.like(shown, { idTokenSignedResponseAlg: 'RS256', subjectType: 'pairwise', sectorIdentifier: 'full.example' });
    t.deepEqual(shown.postLogoutRedirectUris, ['https://full.example/bye', 'https://full.example/signed-out']);
    const human = await runCli([...db, 'client', 'show', 'full']);
    t.regex(human.stdout, /^ {2}post-logout redirect URIs: +https:\/\/full\.example\/bye https:\/\/full\.example\/signed-out$/m);
    t.regex(human.stdout, /^ {2}ID token algorithm: +RS256$/m);
    t.regex(human.stdout, /^ {2}subject: +pairwise \(sector full\.example\)$/m);
  });

  test('a client created without them shows no post-logout URI, the server default algorithm and public subjects; list has a SUBJECT column', async (t) => {
    t.is((await create('plain')).code, 0);
    t.is((await create('paired', '--subject-type', 'pairwise')).code, 0);
    const human = await runCli([...db, 'client', 'show', 'plain']);
    t.regex(human.stdout, /^ {2}post-logout redirect URIs: +-$/m);
    t.regex(human.stdout, /^ {2}ID token algorithm: +server default$/m);
    t.regex(human.stdout, /^ {2}subject: +public$/m);
    const paired = await runCli([...db, 'client', 'show', 'paired']);
    t.regex(paired.stdout, /^ {2}subject: +pairwise \(sector paired\.example, its redirect URIs' host\)$/m);
    const list = await runCli([...db, 'client', 'list']);
    t.regex(list.stdout, /^ID +NAME +TYPE +GRANTS +SCOPES +DEFAULT SCOPES +INTROSPECTS +SUBJECT$/m);
    t.regex(list.stdout, /^paired +RP paired +confidential +authorization_code +- +own tokens +pairwise$/m);
    t.regex(list.stdout, /^plain +RP plain +confidential +authorization_code +- +own tokens +public$/m);
  });

  test('OIDC Core §8.1 — client create refuses a pairwise client on several hosts without --sector-identifier, naming the option', async (t) => {
    const run = await create('spread', '--redirect-uri', 'https://other.example/callback', '--subject-type', 'pairwise');
    t.is(run.code, 1);
    t.regex(run.stderr, /^oauth2-kit: error: --sector-identifier: is needed for pairwise subjects: .*redirect URIs on 2 hosts/);
    t.is((await runCli([...db, 'client', 'show', 'spread'])).code, 1);
  });

  test('client create refuses a bad --post-logout-redirect-uri, --id-token-alg or --subject-type, naming the option', async (t) => {
    const uri = await create('bad-uri', '--post-logout-redirect-uri', 'https://bad-uri.example/out#fragment');
    t.is(uri.code, 1);
    t.is(uri.stderr, 'oauth2-kit: error: --post-logout-redirect-uri #1: must be an absolute URI without fragment (RFC 6749 §3.1.2)\n');
    const alg = await create('bad-alg', '--id-token-alg', 'none');
    t.is(alg.code, 1);
    t.regex(alg.stderr, /^oauth2-kit: error: --id-token-alg: must be one of /);
    const subject = await create('bad-subject', '--subject-type', 'anonymous');
    t.is(subject.code, 2);
    t.is(subject.stderr, 'oauth2-kit: error: --subject-type must be public or pairwise, got "anonymous"\n');
  });

  test('client update changes the OpenID Connect settings; "" and "default" clear them', async (t) => {
    t.is((await create('changing')).code, 0);
    const changed = await runCliJson<ClientJson>([
      ...db, 'client', 'update', 'changing',
      '--post-logout-redirect-uri', 'https://changing.example/bye',
      '--id-token-alg', 'EdDSA',
      '--subject-type', 'pairwise',
      '--sector-identifier', 'changing.example',
    ]);
    t.like(changed, { postLogoutRedirectUris: ['https://changing.example/bye'], idTokenSignedResponseAlg: 'EdDSA', subjectType: 'pairwise', sectorIdentifier: 'changing.example' });
    const cleared = await runCliJson<ClientJson>([
      ...db, 'client', 'update', 'changing', '--post-logout-redirect-uri', '', '--id-token-alg', 'default', '--sector-identifier', '',
    ]);
    t.like(cleared, { postLogoutRedirectUris: [], idTokenSignedResponseAlg: null, subjectType: 'pairwise', sectorIdentifier: null });
    t.like(await runCliJson<ClientJson>([...db, 'client', 'show', 'changing']), { idTokenSignedResponseAlg: null, sectorIdentifier: null });
  });
}
