/**
 * The default sign-in/consent decision (core, framework-free). The login interactor is the
 * application's boundary, so a recording stand-in takes its place here.
 */
import test from 'ava';
import { decideWithPassword, type OAuthUser } from '../../src/core/index.js';

function recordingLogin(valid: { username: string; password: string; user: OAuthUser }) {
  const calls: Array<[string, string]> = [];
  const login = async (username: string, password: string) => {
    calls.push([username, password]);
    return username === valid.username && password === valid.password ? valid.user : null;
  };
  return { login, calls };
}

const alice = { username: 'alice', password: 'secret', user: { id: 'u-1', username: 'alice' } };

test('deny needs no credentials and never calls login', async (t) => {
  const { login, calls } = recordingLogin(alice);
  t.deepEqual(await decideWithPassword(login, { decision: 'deny', username: 'alice', password: 'wrong' }), { outcome: 'deny' });
  t.deepEqual(calls, []);
});

test('approve with the right credentials approves for the user login returned', async (t) => {
  const { login } = recordingLogin(alice);
  t.deepEqual(await decideWithPassword(login, { decision: 'approve', username: 'alice', password: 'secret' }), {
    outcome: 'approve',
    user: alice.user,
  });
});

test('approve with a wrong password asks again and keeps the username', async (t) => {
  const { login } = recordingLogin(alice);
  t.deepEqual(await decideWithPassword(login, { decision: 'approve', username: 'alice', password: 'nope' }), {
    outcome: 'retry',
    message: 'Wrong username or password.',
    username: 'alice',
  });
});

test('missing credentials ask for them without calling login', async (t) => {
  const { login, calls } = recordingLogin(alice);
  const decision = await decideWithPassword(login, { decision: 'approve', username: 'alice' });
  t.deepEqual(decision, { outcome: 'retry', message: 'Enter your username and password.', username: 'alice' });
  t.deepEqual(calls, []);
});

test('credentials that are not strings (a JSON body) are treated as missing', async (t) => {
  const { login, calls } = recordingLogin(alice);
  const decision = await decideWithPassword(login, { decision: 'approve', username: ['alice'], password: { $ne: '' } });
  t.is(decision.outcome, 'retry');
  t.deepEqual(calls, []);
});

test('an oversized password is refused without calling login', async (t) => {
  const { login, calls } = recordingLogin(alice);
  const decision = await decideWithPassword(login, { decision: 'approve', username: 'alice', password: 'x'.repeat(5000) });
  t.deepEqual(decision, { outcome: 'retry', message: 'Wrong username or password.', username: 'alice' });
  t.deepEqual(calls, []);
});

test('no recognised decision asks the user to choose', async (t) => {
  const { login, calls } = recordingLogin(alice);
  for (const decision of [undefined, '', 'maybe', ['approve']]) {
    t.is((await decideWithPassword(login, { decision, username: 'alice', password: 'secret' })).outcome, 'retry');
  }
  t.deepEqual(calls, []);
});
