/**
 * A flood of sign-in posts from one address (one form token posted over and over, each with a new
 * username, each costing a password hash) cannot take the server from anyone else: the address may
 * run half the process's check slots with a few waiting, the rest are refused at once (RFC 6585 §4), and another address's
 * sign-in goes through.
 */
import test from 'ava';
import { AUTHORIZATION_MESSAGES } from '../../src/core/index.js';
import { openStack, type Stack } from '../reliability/support/stacks.js';
import { signInRequest } from './support/sign-in-request.js';
import { ATTACKER, openSignIn, signIn, VICTIM } from './support/from-address.js';

test('RFC 6585 §4 — 32 parallel sign-in posts from one address: one checked at a time (half the slots), four waiting, the rest refused at once with 429, and another address signs in', async (t) => {
  const stack = (await openStack({ provider: 'sql', backend: 'pglite' }, {
    authorizePage: true,
    // A hash that takes a while, so that the posts overlap; the limits that count failures are
    // out of the way: this is about checks in flight.
    providerOptions: { passwordHashCost: { N: 2 ** 14, r: 8, p: 1 }, throttle: { passwordChecks: { concurrency: 2 }, sources: false, users: false } },
  })) as Stack;
  t.teardown(() => stack.close());
  const form = await openSignIn(ATTACKER, stack.endpoint('authorize'), signInRequest(stack));
  const victimForm = await openSignIn(VICTIM, stack.endpoint('authorize'), signInRequest(stack));

  const flood = Promise.all(Array.from({ length: 32 }, (_, i) => signIn(form, `sprayed-${i}`, 'Summer2026!')));
  const victim = await signIn(victimForm, stack.user.username, stack.user.password);
  const answers = await flood;

  t.is(victim.status, 303, 'the victim signs in during the flood');
  const refused = answers.filter((answer) => answer.status === 429);
  const checked = answers.filter((answer) => answer.status === 200);
  t.is(refused.length + checked.length, 32, `statuses: ${answers.map((answer) => answer.status).join(',')}`);
  t.true(refused.length >= 16, `${refused.length} of 32 refused`);
  for (const answer of refused) {
    t.is(answer.headers.get('retry-after'), '1');
    t.true(answer.text.includes(AUTHORIZATION_MESSAGES.busy));
  }
  for (const answer of checked) t.true(answer.text.includes(AUTHORIZATION_MESSAGES.wrongCredentials));
});
