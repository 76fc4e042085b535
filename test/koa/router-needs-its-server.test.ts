/**
 * A router or auth controller built without the oauth2-server instance its token endpoint runs
 * fails when it is built, saying what to pass, rather than answering every token request 500.
 */
import test from 'ava';
import { createAuthController, OAuthProvider } from '../../src/core/index.js';
import { createOAuthRouter } from '../../src/koa/index.js';
import { MemoryStorage } from '../../src/testing/index.js';

const provider = () => new OAuthProvider(new MemoryStorage());

test('createOAuthRouter({ provider }) without a server throws a TypeError naming the server to pass', (t) => {
  t.throws(() => createOAuthRouter({ provider: provider() } as never), { instanceOf: TypeError, message: /needs the OAuth2Server .*new OAuth2Server\(\{ model: provider\.userModel/ });
});

test('createAuthController without a server, or with something that is not one, throws a TypeError', (t) => {
  t.throws(() => createAuthController({ provider: provider() } as never), { instanceOf: TypeError, message: /needs the OAuth2Server/ });
  t.throws(() => createAuthController({ provider: provider(), server: {} } as never), { instanceOf: TypeError, message: /needs the OAuth2Server/ });
});
