/**
 * A memory-backed provider with users, clients, remembered consent, sign-in sessions and tokens,
 * for the management API's consent and user-deletion rules.
 */
import { OAuthProvider } from '../../../src/core/index.js';
import { digestCredential } from '../../../src/core/provider/opaque-credentials.js';
import { credentialsOf } from '../../../src/core/provider/provider-link.js';
import type { SessionRecord } from '../../../src/core/storage/records.js';
import { MemoryStorage } from '../../../src/testing/index.js';

export interface ConsentFixture {
  provider: OAuthProvider;
  storage: MemoryStorage;
  /** Remembers that `userId` approved `scope` for `clientId`, as the consent page does. */
  consent(userId: string, clientId: string, scope?: string[]): Promise<void>;
  /** Issues the user an access token at the client; returns it. */
  token(userId: string, clientId: string): Promise<string>;
  /** Whether the access token is revoked. */
  revoked(accessToken: string): Promise<boolean>;
  /** Stores a sign-in session of the user; returns its id. */
  session(userId: string): Promise<string>;
}

export async function consentFixture(clientIds: readonly string[] = ['notes', 'calendar']): Promise<ConsentFixture> {
  const storage = new MemoryStorage();
  const provider = new OAuthProvider(storage, { passwordHashCost: { N: 1024, r: 8, p: 1 } });
  const credentials = credentialsOf(provider);
  await provider.scopes.define('openid');
  await provider.scopes.define('read');
  for (const id of clientIds) {
    await provider.clients.create({ id, name: id, grants: ['authorization_code', 'refresh_token'], redirectUris: [`https://${id}.example/callback`], scopes: ['openid', 'read'] });
  }
  let sessions = 0;
  return {
    provider,
    storage,
    consent: (userId, clientId, scope = ['openid']) => credentials.consentGrants.remember(userId, clientId, scope, []),
    async token(userId, clientId) {
      const client = (await storage.findClient(clientId))!;
      return (await credentials.issueTokens({ client, userId, scope: ['openid'], refreshToken: true })).accessToken;
    },
    async revoked(accessToken) {
      const [found] = await storage.findAccessTokens([digestCredential(accessToken)]);
      return found!.revokedAt !== null;
    },
    async session(userId) {
      sessions += 1;
      const now = provider.now();
      const record: SessionRecord = {
        id: `session-${sessions}`,
        secretHash: digestCredential(`secret-${sessions}`),
        userId,
        authTime: now,
        acr: null,
        amr: 'pwd',
        expiresAt: new Date(now.getTime() + 3_600_000),
        createdAt: now,
      };
      await storage.insertSession(record);
      return record.secretHash;
    },
  };
}
