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
    await h.provider.users.create({ username: 'alice', password: 'password one' });
    const error = await h.provider.users.create({ username: 'alice', password: 'password two' }).then(() => null, (e: unknown) => e);
    t.true(error instanceof DuplicateError);
  });

  define('usernames are matched exactly, case included', async (t, h) => {
    await h.provider.users.create({ username: 'Alice', password: 'alice password' });
    t.is(await h.provider.users.verifyPassword('alice', 'alice password'), null);
  });

  define('user input is validated', async (t, h) => {
    const password = 'long enough';
    for (const input of [{ username: '', password }, { username: 'a\u0000b', password }, { username: 'a', password: '' }, { username: 'a', password: 'x'.repeat(1025) }]) {
      const error = await h.provider.users.create(input).then(() => null, (e: unknown) => e);
      t.true(error instanceof ValidationError, JSON.stringify(input));
    }
  });

  define('a password shorter than 8 characters is refused; characters are Unicode code points', async (t, h) => {
    const error = await h.provider.users.create({ username: 'short', password: '1234567' }).then(() => null, (e: unknown) => e);
    t.true(error instanceof ValidationError);
    t.is((error as ValidationError).field, 'password');
    t.is((error as ValidationError).message, 'password: must be at least 8 characters long');
    t.is(await h.provider.users.findByUsername('short'), null);
    // Seven emoji are 14 UTF-16 code units but seven characters: refused. Eight are accepted.
    const emoji = '\u{1F510}';
    t.true((await h.provider.users.create({ username: 'seven', password: emoji.repeat(7) }).then(() => null, (e: unknown) => e)) instanceof ValidationError);
    const eight = await h.provider.users.create({ username: 'eight', password: emoji.repeat(8) });
    t.deepEqual(await h.provider.users.verifyPassword('eight', emoji.repeat(8)), { id: eight.id, username: 'eight' });
    t.truthy(await h.provider.users.create({ username: 'exactly8', password: '12345678' }));
  });

  define('findByUsername and list return users without password hashes, list ordered by username', async (t, h) => {
    const b = await h.provider.users.create({ username: 'list-b', password: 'password b' });
    const a = await h.provider.users.create({ username: 'list-a', password: 'password a' });
    const found = await h.provider.users.findByUsername('list-a');
    t.deepEqual(found, a);
    t.is(await h.provider.users.findByUsername('LIST-A'), null);
    t.is(await h.provider.users.findByUsername('a\u0000b'), null);
    const listed = (await h.provider.users.list()).filter((user) => user.username.startsWith('list-'));
    t.deepEqual(listed, [a, b]);
    t.false(listed.some((user) => 'passwordHash' in user));
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

  define('setPassword replaces the password and revokes every token of the user, and only theirs', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser('old password');
    const other = await h.createUser();
    const session = await h.passwordGrant(client, user);
    const bystander = await h.passwordGrant(client, other);
    t.true(await h.provider.users.setPassword(user.id, 'new password'));
    t.is(await h.provider.users.verifyPassword(user.username, 'old password'), null);
    t.deepEqual(await h.provider.users.verifyPassword(user.username, 'new password'), { id: user.id, username: user.username });
    t.false(await h.authenticates(session.access_token));
    t.is((await h.refresh(client, session.refresh_token!)).status, 400);
    t.true(await h.authenticates(bystander.access_token));
    t.truthy((await h.passwordGrant(client, { ...user, password: 'new password' })).access_token);
  });

  define('setPassword with revokeTokens: false keeps the user\'s tokens, and takes a user as well as an id', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser('old password');
    const session = await h.passwordGrant(client, user);
    const stored = await h.provider.users.get(user.id);
    t.true(await h.provider.users.setPassword(stored!, 'new password', { revokeTokens: false }));
    t.true(await h.authenticates(session.access_token));
    t.deepEqual(await h.provider.users.verifyPassword(user.username, 'new password'), { id: user.id, username: user.username });
  });

  define('setPassword refuses what create refuses and is false for an unknown user, changing nothing', async (t, h) => {
    const client = await h.registerClient();
    const user = await h.createUser('old password');
    const session = await h.passwordGrant(client, user);
    for (const password of ['', '1234567', '\u{1F510}'.repeat(7), 'x'.repeat(1025)]) {
      const error = await h.provider.users.setPassword(user.id, password).then(() => null, (e: unknown) => e);
      t.true(error instanceof ValidationError, JSON.stringify(password));
      t.is((error as ValidationError).field, 'password');
    }
    t.false(await h.provider.users.setPassword('no-such-user', 'new password'));
    t.false(await h.provider.users.setPassword(user.username, 'new password'), 'a username is no id');
    t.deepEqual(await h.provider.users.verifyPassword(user.username, 'old password'), { id: user.id, username: user.username });
    t.true(await h.authenticates(session.access_token));
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
