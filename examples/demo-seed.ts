import { randomBytes } from 'node:crypto';
import type { OAuthProvider } from 'oauth2-kit';

/**
 * First-run demo data: the scopes `read` and `admin`, a demo user, and a confidential demo client
 * allowed every grant, whose requests without scope get `read` (never `admin`: RFC 6749 §3.3).
 * Created only when the database has no client at all, so an operator who registered real clients
 * never gets a demo client back, and a restart never creates a second one.
 */

export const DEMO_CLIENT_ID = 'demo-client';
export const DEMO_USER_ID = 'demo-user';
export const DEMO_USERNAME = 'demo';

/** What was created, with the plaintext secrets: they exist only in this object and the banner. */
export interface DemoCredentials {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  /** Granted when a request names no scope. */
  defaultScopes: string[];
  username: string;
  password: string;
}

/**
 * Creates the demo data when the database holds no client yet; returns the credentials then, and
 * null on every later run.
 */
export async function seedDemo(provider: OAuthProvider, baseUrl: string): Promise<DemoCredentials | null> {
  if ((await provider.clients.list()).length > 0) return null;
  await provider.scopes.define('read', 'Read your profile through the demo API');
  await provider.scopes.define('admin', 'Use the administrative demo API');
  // OpenID Connect (OIDC Core §5.4): sign-in with an ID token, and the user's profile at userinfo.
  await provider.scopes.define('openid', 'Sign you in');
  await provider.scopes.define('profile', 'See your username');

  // A user left over from a first run that stopped half-way has a password nobody saw: replace it.
  await provider.users.delete(DEMO_USER_ID);
  const password = randomBytes(18).toString('base64url');
  await provider.users.create({ id: DEMO_USER_ID, username: DEMO_USERNAME, password });

  const redirectUri = `${baseUrl}/demo/callback`;
  const { clientSecret } = await provider.clients.create({
    id: DEMO_CLIENT_ID,
    name: 'oauth2-kit demo client',
    grants: ['client_credentials', 'password', 'refresh_token', 'authorization_code'],
    redirectUris: [redirectUri],
    scopes: ['read', 'admin', 'openid', 'profile'],
    defaultScopes: ['read'],
    postLogoutRedirectUris: [`${baseUrl}/demo/signed-out`],
  });
  if (clientSecret === null) throw new Error('the demo client was registered without a secret');
  return { clientId: DEMO_CLIENT_ID, clientSecret, redirectUri, scopes: ['read', 'admin', 'openid', 'profile'], defaultScopes: ['read'], username: DEMO_USERNAME, password };
}
