/**
 * Refresh-token rotation under concurrency (RFC 9700 §4.14.2): of any number of simultaneous
 * refreshes of one refresh token, exactly one is answered with new tokens, and no other new
 * issuance is live afterwards; the others are refused with `invalid_grant`, never a 5xx.
 */
import test from 'ava';
import { digest } from './support/outage.js';
import { refreshGrant, signedIn } from './support/grants.js';
import { sharedStacks } from './support/shared-stacks.js';

/** Parallel requests per round, and rounds: enough interleavings to catch a read-then-write. */
const CONTENDERS = 12;
const ROUNDS = 4;

// Throttling is tested on its own; here every refused request must be refused by the race alone.
const forEachStack = await sharedStacks(test, { providerOptions: { throttle: false } });

forEachStack('RFC 9700 §4.14.2 — of concurrent refreshes of one refresh token, exactly one wins', async (t, stack) => {
  for (let round = 0; round < ROUNDS; round += 1) {
    const { refreshToken } = await signedIn(stack);
    const answers = await Promise.all(Array.from({ length: CONTENDERS }, () => refreshGrant(stack, refreshToken)));
    const winners = answers.filter((answer) => answer.status === 200);
    t.is(winners.length, 1, `round ${round}: one winner`);
    t.true(
      answers.filter((answer) => answer.status !== 200).every((answer) => answer.status === 400 && answer.json?.error === 'invalid_grant'),
      `round ${round}: every loser gets invalid_grant`,
    );
    // Losers may have stored a successor before losing the claim; each withdrew its own. A loser
    // that read the old token after the winner's claim took it for a replay and ended the whole
    // grant (RFC 9700 §4.14.2), winner included: so at most the winner's issuance is live.
    const live = await stack.rows<{ access_token_hash: string }>(
      `SELECT access_token_hash FROM oauth_tokens WHERE revoked_at IS NULL AND family_id =
         (SELECT family_id FROM oauth_tokens WHERE refresh_token_hash = '${digest(refreshToken)}')`,
    );
    const winner = digest(winners[0]!.json.access_token);
    t.true(live.every((row) => row.access_token_hash === winner), `round ${round}: no loser's issuance is live`);
  }
});
