import { DuplicateError, ValidationError } from '../../core/index.js';
import type { DefineConformanceTest } from './define.js';

/** The default user store. */
export function userStore(define: DefineConformanceTest): void {
  define('verifyPassword returns the user for the right password only', async (t, h) => {
    const user = await h.createUser('correct horse');
    t.deepEqual(await h.provider.users.verifyPassword(user.username, 'correct horse'), { id: user.id, username: user.username });
    t.is(await h.provider.users.verifyPassword(user.username, 'correct horsE'), null);
    t.is(await h.provider.users.verifyPassword('no-such-user', 'correct horse'), null);
  });

  define('a taken username is refused with DuplicateError', async (t, h) => {
    await h.provider.users.create({ username: 'alice', password: 'one' });
    const error = await h.provider.users.create({ username: 'alice', password: 'two' }).then(() => null, (e: unknown) => e);
    t.true(error instanceof DuplicateError);
  });

  define('usernames are matched exactly, case included', async (t, h) => {
    await h.provider.users.create({ username: 'Alice', password: 'pw' });
    t.is(await h.provider.users.verifyPassword('alice', 'pw'), null);
  });

  define('user input is validated', async (t, h) => {
    for (const input of [{ username: '', password: 'x' }, { username: 'a\u0000b', password: 'x' }, { username: 'a', password: '' }, { username: 'a', password: 'x'.repeat(1025) }]) {
      const error = await h.provider.users.create(input).then(() => null, (e: unknown) => e);
      t.true(error instanceof ValidationError, JSON.stringify(input));
    }
  });

  define('get returns the user without its password hash', async (t, h) => {
    const user = await h.createUser();
    const found = await h.provider.users.get(user.id);
    t.is(found?.username, user.username);
    t.false('passwordHash' in (found ?? {}));
    t.is(await h.provider.users.get('missing'), null);
  });

  define('deleting a user revokes their tokens first', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const body = await h.passwordGrant(client, user);
    t.true(await h.provider.users.delete(user.id));
    t.false(await h.authenticates(body.access_token));
    t.is(await h.provider.users.get(user.id), null);
  });

  define('users.getUser and users.login serve as the model\'s interactors', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    t.deepEqual(await h.provider.users.getUser(user.id), { id: user.id, username: user.username });
    t.is(await h.provider.users.getUser('missing'), null);
    t.deepEqual(await h.provider.users.login(user.username, user.password), { id: user.id, username: user.username });
    t.truthy((await h.passwordGrant(client, user)).access_token);
  });

  define('a refresh fails once its user is gone', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser();
    const body = await h.passwordGrant(client, user);
    await h.provider.users.delete(user.id);
    t.is((await h.refresh(client, body.refresh_token!)).status, 400);
  });
}
