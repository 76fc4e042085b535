import { createHash, randomBytes, randomUUID } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import {
  createAuthController,
  createAuthorizationEndpoint,
  createGuard,
  type AuthControllerInteractor,
  type AuthorizationEndpoint,
  type NewClientInput,
  type OAuth2GuardInteractor,
  type OAuthGuardOutcome,
  type OAuthHttpResponse,
  type OAuthProvider,
  type OAuthProviderOptions,
  type OAuthUserModel,
} from '../../core/index.js';
import type { ConformanceSubject } from './types.js';

export { createTestClock, type TestClock } from '../test-clock.js';
import type { TestClock } from '../test-clock.js';

/** A registered client and the secret it was given (null for public clients). */
export interface TestClient {
  id: string;
  secret: string | null;
}

/** A user of the default store with the password it was created with. */
export interface TestUser {
  id: string;
  username: string;
  password: string;
}

/** A PKCE pair (RFC 7636 §4.1, §4.2). */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** The body of a successful token response (RFC 6749 §5.1). */
export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
}

/** The scope of a client registered without `scopes`, granted when a request names none. */
export const DEFAULT_TEST_SCOPE = 'basic';

/** Passwords are hashed cheaply in the suite: the cost is not what it checks. */
export const SUITE_PASSWORD_COST = { N: 1024, r: 8, p: 1 };

/**
 * Everything one conformance test drives: the provider, a real OAuth2Server on its user model,
 * the framework-free HTTP interactors, and helpers that speak the protocol.
 */
export class Harness {
  readonly server: OAuth2Server;
  readonly model: OAuthUserModel;
  readonly controller: AuthControllerInteractor;
  readonly guard: OAuth2GuardInteractor;
  readonly authorization: AuthorizationEndpoint;

  constructor(
    readonly subject: ConformanceSubject,
    readonly clock: TestClock,
  ) {
    const provider = subject.provider;
    this.model = provider.userModel(provider.users.getUser, provider.users.login);
    this.server = new OAuth2Server({
      model: this.model,
      // Public clients refresh with their client_id alone; the model still refuses a confidential
      // client that omits its secret (docs/adr/0004). Per-client plain PKCE needs the server's consent.
      requireClientAuthentication: { refresh_token: false },
      enablePlainPKCE: true,
    } as OAuth2Server.ServerOptions);
    this.controller = createAuthController({ server: this.server, provider });
    this.guard = createGuard({ provider });
    this.authorization = createAuthorizationEndpoint({ provider });
  }

  get provider(): OAuthProvider {
    return this.subject.provider;
  }

  /**
   * The options the suite constructs providers with. The suite checks the password grant on every
   * storage too, so it opts in to it (`allowPasswordGrant`, off by default: RFC 9700 §2.4).
   */
  static providerOptions(clock: TestClock, extra: OAuthProviderOptions = {}): OAuthProviderOptions {
    return { now: clock.now, passwordHashCost: SUITE_PASSWORD_COST, allowPasswordGrant: true, ...extra };
  }

  async defineScopes(...names: string[]): Promise<void> {
    for (const name of names) await this.provider.scopes.define(name, `${name} access`);
  }

  /**
   * Registers a client; scopes it names are added to the catalogue first. A client registered
   * without `scopes` gets {@link DEFAULT_TEST_SCOPE} as its only scope and default scope, so that
   * requests of tests about something else may name no scope (RFC 6749 §3.3); one registered with
   * `scopes` has the `defaultScopes` it is given, none otherwise.
   */
  async registerClient(input: Partial<NewClientInput> = {}): Promise<TestClient> {
    const scopes = input.scopes === undefined ? { scopes: [DEFAULT_TEST_SCOPE], defaultScopes: [DEFAULT_TEST_SCOPE] } : {};
    await this.defineScopes(...(input.scopes ?? scopes.scopes ?? []));
    const { client, clientSecret } = await this.provider.clients.create({
      name: 'Conformance client',
      grants: ['client_credentials', 'password', 'refresh_token', 'authorization_code'],
      redirectUris: ['https://client.example/callback'],
      ...scopes,
      ...input,
    });
    return { id: client.id, secret: clientSecret };
  }

  async createUser(password = `pw-${randomUUID()}`): Promise<TestUser> {
    const username = `user-${randomUUID()}`;
    const user = await this.provider.users.create({ username, password });
    return { id: user.id, username, password };
  }

  /** POSTs a token request; a confidential client authenticates with HTTP Basic. */
  token(body: Record<string, unknown>, client?: TestClient, headers: Record<string, string> = {}): Promise<OAuthHttpResponse> {
    const authorization =
      client && client.secret !== null ? { authorization: basic(client.id, client.secret) } : {};
    const clientId = client && client.secret === null ? { client_id: client.id } : {};
    return this.controller.token({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...authorization, ...headers },
      query: {},
      body: { ...clientId, ...body },
    });
  }

  /** A token request that must succeed; returns its body. */
  async issue(body: Record<string, unknown>, client: TestClient): Promise<TokenBody> {
    const response = await this.token(body, client);
    if (response.status !== 200) {
      throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as TokenBody;
  }

  clientCredentials(client: TestClient, scope?: string): Promise<TokenBody> {
    return this.issue({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }, client);
  }

  passwordGrant(client: TestClient, user: TestUser, scope?: string): Promise<TokenBody> {
    return this.issue(
      { grant_type: 'password', username: user.username, password: user.password, ...(scope ? { scope } : {}) },
      client,
    );
  }

  refresh(client: TestClient, refreshToken: string, scope?: string): Promise<OAuthHttpResponse> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken, ...(scope ? { scope } : {}) }, client);
  }

  /**
   * Presents an access token to the guard, at `resource` (RFC 8707 §2): without it, the guard is
   * bound to no resource and admits only tokens asked for none.
   */
  bearer(accessToken: string, scope?: string[], resource?: string): Promise<OAuthGuardOutcome> {
    return this.guard.check(
      { method: 'GET', headers: { authorization: `Bearer ${accessToken}` }, query: {}, body: {} },
      { ...(scope ? { scope } : {}), ...(resource === undefined ? {} : { resource }) },
    );
  }

  /** Whether the guard lets this access token through, at `resource` if given. */
  async authenticates(accessToken: string, resource?: string): Promise<boolean> {
    return (await this.bearer(accessToken, undefined, resource)).ok;
  }

  /**
   * Registers a protected resource (RFC 8707); scopes it names are added to the catalogue first.
   * Fails saying what to do when the subject's storage keeps no resources.
   */
  async defineResource(input: { id: string; name?: string; scopes?: string[]; accessTokenLifetime?: number; tokenFormat?: 'opaque' | 'jwt' }): Promise<void> {
    await this.defineScopes(...(input.scopes ?? []));
    try {
      await this.provider.resources.define({ name: `Resource ${input.id}`, ...input });
    } catch (error) {
      throw new Error(
        `provider.resources.define() failed (${error instanceof Error ? error.message : String(error)}): implement the resource port (OAuthResourceStorage) in the storage, or run the suite with storesResources: false`,
        { cause: error },
      );
    }
  }

  /** Runs the authorization endpoint for `user` and returns the issued code. */
  async authorize(
    client: TestClient,
    user: TestUser,
    parameters: Record<string, string | string[]> = {},
  ): Promise<{ code: string; redirectTo: string }> {
    const check = await this.authorization.validate({ response_type: 'code', client_id: client.id, state: 'xyz', ...parameters });
    if (!check.ok) throw new Error(`authorization request refused: ${check.error} ${check.errorDescription}`);
    const { redirectTo } = await this.authorization.approve(check.request, { id: user.id, username: user.username });
    const code = new URL(redirectTo).searchParams.get('code');
    if (!code) throw new Error(`no code in ${redirectTo}`);
    return { code, redirectTo };
  }

  exchangeCode(client: TestClient, code: string, extra: Record<string, string> = {}): Promise<OAuthHttpResponse> {
    return this.token({ grant_type: 'authorization_code', code, ...extra }, client);
  }

  revoke(client: TestClient, token: string, hint?: string): Promise<OAuthHttpResponse> {
    return this.controller.revoke({
      method: 'POST',
      headers: client.secret !== null ? { authorization: basic(client.id, client.secret) } : {},
      query: {},
      body: { token, ...(hint ? { token_type_hint: hint } : {}), ...(client.secret === null ? { client_id: client.id } : {}) },
    });
  }

  introspect(client: TestClient, token: string, hint?: string): Promise<OAuthHttpResponse> {
    return this.controller.introspect({
      method: 'POST',
      headers: client.secret !== null ? { authorization: basic(client.id, client.secret) } : {},
      query: {},
      body: { token, ...(hint ? { token_type_hint: hint } : {}), ...(client.secret === null ? { client_id: client.id } : {}) },
    });
  }
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function pkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Fields of an error response body. */
export function errorOf(response: OAuthHttpResponse): string | undefined {
  return (response.body as { error?: string } | undefined)?.error;
}
