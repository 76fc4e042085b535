/**
 * Authorization codes under concurrency (RFC 6749 §4.1.2: "The client MUST NOT use the
 * authorization code more than once"): of any number of simultaneous exchanges of one code,
 * exactly one is answered with tokens and exactly one issuance is stored.
 */
import test from 'ava';
import { digest } from './support/outage.js';
import { authorizationCode, exchangeCode } from './support/grants.js';
import { sharedStacks } from './support/shared-stacks.js';

const CONTENDERS = 12;
const ROUNDS = 4;

const forEachStack = await sharedStacks(test, { providerOptions: { throttle: false } });

forEachStack('RFC 6749 §4.1.2 — of concurrent exchanges of one authorization code, exactly one wins', async (t, stack) => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const code = await authorizationCode(stack);
    const answers = await Promise.all(Array.from({ length: CONTENDERS }, () => exchangeCode(stack, code)));
    t.is(answers.filter((answer) => answer.status === 200).length, 1, `round ${round}: one winner`);
    t.true(
      answers.filter((answer) => answer.status !== 200).every((answer) => answer.status === 400 && answer.json?.error === 'invalid_grant'),
      `round ${round}: every loser gets invalid_grant`,
    );
    const [issued] = await stack.rows<{ issuances: number | string | bigint }>(
      `SELECT COUNT(*) AS issuances FROM oauth_tokens WHERE authorization_code_id =
         (SELECT id FROM oauth_authorization_codes WHERE code_hash = '${digest(code.code)}')`,
    );
    t.is(Number(issued?.issuances), 1, `round ${round}: exactly one issuance came from the code`);
  }
});
