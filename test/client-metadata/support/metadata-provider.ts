/**
 * A provider on the in-memory storage with Client ID Metadata Documents turned on, fetching from a
 * document server of the tests (its allow-listed names resolve to 127.0.0.1), with a clock the
 * tests move and a record of the storage methods called.
 */
import { createAuthorizationEndpoint, OAuthProvider, type ClientMetadataDocumentOptions, type OAuthStorage } from '../../../src/core/index.js';
import { createTestClock, MemoryStorage } from '../../../src/testing/index.js';
import { fakeDns } from './document-server.js';
import type { TestCa } from './test-ca.js';

export interface MetadataProvider {
  provider: OAuthProvider;
  storage: MemoryStorage;
  /** Storage methods called, in order, since the last `clearCalls()`. */
  calls: string[];
  clearCalls(): void;
  advanceClock(seconds: number): void;
  /**
   * `createAuthorizationEndpoint({ provider }).validate` of a PKCE request for `clientId` to
   * `redirectUri`, from `sourceAddress` when given.
   */
  validate(
    clientId: string,
    redirectUri: string,
    extra?: Record<string, string>,
    sourceAddress?: string,
  ): ReturnType<ReturnType<typeof createAuthorizationEndpoint>['validate']>;
  /** `validate`, then the user `user-1` approves: where the user-agent is sent (with the code). */
  approve(clientId: string, redirectUri: string, extra?: Record<string, string>): Promise<string>;
}

/** The S256 challenge of a fixed verifier; these tests stop before the code exchange. */
const S256 = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };

export async function startMetadataProvider(ca: TestCa, options: ClientMetadataDocumentOptions = {}): Promise<MetadataProvider> {
  const storage = new MemoryStorage();
  const calls: string[] = [];
  const recorded = new Proxy(storage, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return member.apply(target, args);
      };
    },
  }) as OAuthStorage;
  const clock = createTestClock();
  const dns = fakeDns({ 'app.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });
  const provider = new OAuthProvider(recorded, {
    now: clock.now,
    clientMetadataDocuments: { lookup: dns.lookup, ca: ca.cert, allowHosts: ['app.test', 'other.test'], timeoutMs: 10_000, ...options },
  });
  await provider.scopes.define('read', 'Read your notes');
  await provider.scopes.define('write', 'Change your notes');
  const endpoint = createAuthorizationEndpoint({ provider });
  const validate: MetadataProvider['validate'] = (clientId, redirectUri, extra = {}, sourceAddress) =>
    endpoint.validate(
      { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'read', state: 's', ...S256, ...extra },
      sourceAddress === undefined ? undefined : { sourceAddress },
    );
  return {
    provider,
    storage,
    calls,
    clearCalls: () => void calls.splice(0),
    advanceClock: (seconds) => clock.advance(seconds),
    validate,
    async approve(clientId, redirectUri, extra) {
      const check = await validate(clientId, redirectUri, extra);
      if (!check.ok) throw new Error(`the authorization request was refused: ${check.error} ${check.errorDescription}`);
      return (await endpoint.approve(check.request, { id: 'user-1' })).redirectTo;
    },
  };
}

/** A document for `clientId` with one redirect URI, and whatever `extra` adds or replaces. */
export function documentFor(clientId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: clientId, client_name: 'Notes Everywhere', redirect_uris: ['https://app.test/callback'], grant_types: ['authorization_code', 'refresh_token'], ...extra };
}
