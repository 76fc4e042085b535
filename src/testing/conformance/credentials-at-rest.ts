import { pkcePair } from './harness.js';
import type { DefineConformanceTest } from './define.js';

/** Nothing stored is a usable credential (docs/adr/0002). */
export function credentialsAtRest(define: DefineConformanceTest): void {
  define.requiring('inspectsRows', 'a dump of every table holds no usable credential', async (t, h) => {
    const { dumpAllRows } = h.subject;
    if (!dumpAllRows) {
      throw new Error('setup returned no dumpAllRows(): return one, or pass inspectsRows: false to register this test as skipped');
    }
    const client = await h.registerClient();
    const user = await h.createUser('a-password-nobody-guesses');
    const password = await h.passwordGrant(client, user);
    const machine = await h.clientCredentials(client);
    const pair = pkcePair();
    const { code } = await h.authorize(client, user, { code_challenge: pair.challenge, code_challenge_method: 'S256' });
    const unusedCode = (await h.authorize(client, user, { code_challenge: pair.challenge, code_challenge_method: 'S256' })).code;
    const exchanged = (await h.exchangeCode(client, code, { code_verifier: pair.verifier })).body as { access_token: string; refresh_token: string };
    const credentials = [
      client.secret!,
      user.password,
      password.access_token,
      password.refresh_token!,
      machine.access_token,
      code,
      unusedCode,
      exchanged.access_token,
      exchanged.refresh_token,
    ];
    const dump = (await dumpAllRows()).join('\n');
    t.true(dump.length > 0);
    for (const credential of credentials) t.false(dump.includes(credential), 'a credential is stored in clear');
    t.regex(dump, /scrypt\$\d+\$\d+\$\d+\$/);
  });
}
