import OAuth2Server from '@node-oauth/oauth2-server';
import { toModelClient, type OAuthModelClient } from '../provider/client-views.js';
import {
  isBoundedString,
  isStorableText,
  isUserId,
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
} from '../provider/input-limits.js';
import type {
  GetOAuthUserInteractor,
  LoginOAuthUserInteractor,
  OAuthUser,
  ValidateScopeInteractor,
} from '../protocol/interactors.js';
import { decidePkce } from '../provider/pkce-policy.js';
import type { ProviderCore } from '../provider/credentials.js';
import type { ClientRecord, GrantType, TokenLookup } from '../storage/records.js';
import { isScopeToken, isSubset, parseScope, parseStoredScope } from '../provider/scope.js';

const { InvalidGrantError, InvalidRequestError, InvalidScopeError, UnauthorizedClientError } = OAuth2Server;

/** The model `provider.clientModel()` returns: the client_credentials grant only. */
export type OAuthClientCredentialsModel = OAuth2Server.ClientCredentialsModel;

/**
 * The model `provider.userModel()` returns: client_credentials, password, refresh_token and
 * authorization_code (with PKCE).
 */
export type OAuthUserModel = OAuth2Server.ClientCredentialsModel &
  OAuth2Server.PasswordModel &
  OAuth2Server.RefreshTokenModel &
  OAuth2Server.AuthorizationCodeModel;

/**
 * What `getAccessToken` returns, hence what `server.authenticate()` resolves to. Hydrated from the
 * single `findAccessToken` row: the user is `{ id, username }` from the join, never a `getUser` call.
 */
export interface OAuthModelAccessToken {
  accessToken: string;
  accessTokenExpiresAt: Date;
  scope: string[];
  client: { id: string; name: string };
  /**
   * The resource owner. For client_credentials tokens there is none, but oauth2-server insists on
   * a truthy `user`, so it is an empty object; `userId` is null then.
   */
  user: OAuthUser | Record<string, never>;
  /** The issuance row's id (never the token itself). */
  tokenId: string;
  userId: string | null;
}

/** What the model hands oauth2-server in place of the tokens it would otherwise generate. */
const MINTED_ON_SAVE = 'minted-on-save';

/** What a model is built from. */
export interface ModelDependencies {
  core: ProviderCore;
  /** The grants this model serves; other grants of a client are hidden from oauth2-server. */
  grants: readonly GrantType[];
  validateScope: ValidateScopeInteractor;
  getUser?: GetOAuthUserInteractor;
  loginUser?: LoginOAuthUserInteractor;
  /**
   * True when `getUser` is the default user store's: then a token row joined with a username proves
   * the user exists, and the refresh grant skips the `getUser` call.
   */
  getUserIsDefaultStore?: boolean;
}

/** How a new issuance descends from an earlier one (RFC 9700 §4.14.2, RFC 6749 §4.1.2). */
interface Lineage {
  familyId?: string;
  authorizationCodeId: string | null;
  /** The issuance whose refresh token this one replaces: claimed once the new one is stored. */
  rotates?: string;
}

/**
 * Builds an @node-oauth/oauth2-server 5.3 model on the provider core.
 *
 * oauth2-server hands the objects a model returned back to the model later in the same request
 * (the client from `getClient` to `saveToken`, the user from `getRefreshToken` to `saveToken`),
 * so per-request facts (the client's record, a refresh token's family) ride on those objects in
 * WeakMaps rather than in extra storage calls.
 */
export function buildOAuth2ServerModel(deps: ModelDependencies): OAuthUserModel {
  const { core } = deps;
  const storage = core.storage;
  const clientRecords = new WeakMap<object, ClientRecord>();
  const clientSubjects = new WeakSet<object>();
  const lineages = new WeakMap<object, Lineage>();
  const refreshTokenIds = new WeakMap<object, string>();
  const codeIds = new WeakMap<object, string>();

  function recordOf(client: object): ClientRecord {
    const record = clientRecords.get(client);
    if (!record) throw new TypeError('the client object did not come from this model');
    return record;
  }

  function userIdOf(user: unknown): string {
    const id = (user as { id?: unknown } | null | undefined)?.id;
    if (!isUserId(id)) throw new TypeError('the user has no valid string `id`');
    return id;
  }

  function newClientSubject(): Record<string, never> {
    const subject = {};
    clientSubjects.add(subject);
    return subject;
  }

  function requireInteractor<T>(interactor: T | undefined, name: string): T {
    if (!interactor) throw new TypeError(`this model has no ${name} interactor`);
    return interactor;
  }

  async function resolveUser(userId: string, joinedUsername: string | null): Promise<OAuthUser | null> {
    if (deps.getUserIsDefaultStore && joinedUsername !== null) return { id: userId, username: joinedUsername };
    const user = await requireInteractor(deps.getUser, 'getUser')(userId);
    if (!user) return null;
    return { ...user, id: userIdOf(user) };
  }

  function toAccessToken(accessToken: string, found: TokenLookup): OAuthModelAccessToken {
    return {
      accessToken,
      accessTokenExpiresAt: found.accessTokenExpiresAt,
      scope: parseStoredScope(found.scope),
      client: { id: found.clientId, name: found.clientName },
      user:
        found.userId === null
          ? newClientSubject()
          : { id: found.userId, ...(found.username !== null ? { username: found.username } : {}) },
      tokenId: found.id,
      userId: found.userId,
    };
  }

  const model = {
    // Without these, oauth2-server mints every token and code itself (256 random bytes from the
    // libuv thread pool, then SHA-256) for saveToken/saveAuthorizationCode to discard: they mint
    // their own in one place (`ProviderCore`). The marker only tells saveToken that a refresh token
    // was asked for; it is never stored nor sent.
    async generateAccessToken(): Promise<string> {
      return MINTED_ON_SAVE;
    },
    async generateRefreshToken(): Promise<string> {
      return MINTED_ON_SAVE;
    },
    async generateAuthorizationCode(): Promise<string> {
      return MINTED_ON_SAVE;
    },

    async getClient(clientId: string, clientSecret: string | null | undefined): Promise<OAuthModelClient | null> {
      const record = await core.authenticateClient(clientId, clientSecret);
      if (!record) return null;
      const client = toModelClient(record, core.lifetimesOf(record), deps.grants);
      clientRecords.set(client, record);
      return client;
    },

    async getUserFromClient(_client: OAuth2Server.Client): Promise<Record<string, never>> {
      return newClientSubject();
    },

    async getUser(username: string, password: string): Promise<OAuthUser | null> {
      if (!isStorableText(username, MAX_USERNAME_LENGTH) || !isBoundedString(password, MAX_PASSWORD_LENGTH)) return null;
      const loginUser = requireInteractor(deps.loginUser, 'loginUser');
      // RFC 6749 §10.10: password guessing is throttled per username (429 while it is).
      const user = await core.throttledLogin(username, async () => (await loginUser(username, password)) ?? null);
      if (!user) return null;
      userIdOf(user);
      return user;
    },

    async validateScope(
      user: OAuth2Server.User,
      client: OAuth2Server.Client,
      scope?: string[],
    ): Promise<string[] | false> {
      const record = recordOf(client);
      const owner = clientSubjects.has(user) ? null : (user as OAuthUser);
      const granted = await deps.validateScope(owner, client as OAuthModelClient, scope);
      // Whatever the policy says, a token never carries a scope the client may not have.
      if (!Array.isArray(granted) || !granted.every(isScopeToken) || !isSubset(granted, record.scopes)) return false;
      return [...new Set(granted)];
    },

    async saveToken(
      token: OAuth2Server.Token,
      client: OAuth2Server.Client,
      user: OAuth2Server.User,
    ): Promise<OAuth2Server.Token> {
      const record = recordOf(client);
      const isClientToken = clientSubjects.has(user);
      const userId = isClientToken ? null : userIdOf(user);
      const scope = token.scope ?? [];
      // Also catches a refresh after the client lost a scope: the narrowed grant must be requested.
      if (!isSubset(scope, record.scopes)) throw new InvalidScopeError('Invalid scope: the client may not be granted this scope');
      const lineage = lineages.get(user);
      // The plaintexts oauth2-server generated are discarded: ours are minted and hashed in one place.
      const issued = await core.issueTokens({
        client: record,
        userId,
        scope,
        withRefreshToken: !isClientToken && Boolean(token.refreshToken) && record.grants.includes('refresh_token'),
        ...(lineage?.familyId ? { familyId: lineage.familyId } : {}),
        authorizationCodeId: lineage?.authorizationCodeId ?? null,
      });
      if (lineage?.rotates !== undefined) {
        // Rotation claims the old refresh token only now that its successor is stored, so that a
        // revocation of the family racing this refresh cannot miss the successor: revoked before
        // the claim, the old token fails it and the successor is withdrawn; revoked after, the
        // successor is in the family and is revoked with it (RFC 7009 §2.1). The claim stays the
        // compare-and-set that lets exactly one concurrent refresh win (docs/adr/0003).
        const now = core.now();
        if (!(await storage.claimToken(lineage.rotates, now))) {
          await storage.claimToken(issued.id, now);
          throw new InvalidGrantError('Invalid grant: refresh token is invalid or could not be revoked');
        }
      }
      return {
        accessToken: issued.accessToken,
        accessTokenExpiresAt: issued.accessTokenExpiresAt,
        ...(issued.refreshToken
          ? { refreshToken: issued.refreshToken, refreshTokenExpiresAt: issued.refreshTokenExpiresAt ?? undefined }
          : {}),
        ...(issued.scope.length > 0 ? { scope: issued.scope } : {}),
        client,
        user,
      };
    },

    async getAccessToken(accessToken: string): Promise<OAuth2Server.Token | null> {
      // Only `server.authenticate()` (the guard) calls this: it may read through the token cache.
      const found = await core.findActiveAccessTokenForGuard(accessToken, core.now());
      if (!found) return null;
      return toAccessToken(accessToken, found) as unknown as OAuth2Server.Token;
    },

    async verifyScope(token: OAuth2Server.Token, scope: string[] | string): Promise<boolean> {
      const required = Array.isArray(scope) ? scope : parseScope(scope);
      if (required === false) return false;
      const granted: unknown = token.scope;
      return (required ?? []).every((name) => Array.isArray(granted) && granted.includes(name));
    },

    async getRefreshToken(refreshToken: string): Promise<OAuth2Server.RefreshToken | null> {
      const found = await core.findRefreshToken(refreshToken);
      if (!found) return null;
      const now = core.now();
      if (found.revokedAt !== null) {
        // RFC 9700 §4.14.2: a rotated refresh token presented again means one of its holders is
        // not the legitimate client; end the whole grant.
        await storage.revokeTokens({ familyId: found.familyId }, now);
        return null;
      }
      if (!core.isRefreshTokenActive(found, now) || found.userId === null) return null;
      const user = await resolveUser(found.userId, found.username);
      if (!user) return null;
      lineages.set(user, { familyId: found.familyId, authorizationCodeId: found.authorizationCodeId });
      const token = {
        refreshToken,
        refreshTokenExpiresAt: found.refreshTokenExpiresAt ?? undefined,
        scope: parseStoredScope(found.scope),
        client: { id: found.clientId, name: found.clientName } as unknown as OAuth2Server.Client,
        user,
      };
      refreshTokenIds.set(token, found.id);
      return token;
    },

    async revokeToken(token: OAuth2Server.RefreshToken | OAuth2Server.Token): Promise<boolean> {
      const id = refreshTokenIds.get(token);
      const lineage = lineages.get(token.user as object);
      if (!id || !lineage) return false;
      // oauth2-server revokes before it saves; the claim is deferred to `saveToken` (see there).
      // A refresh that fails before then leaves the old refresh token usable, as it should.
      lineage.rotates = id;
      return true;
    },

    async saveAuthorizationCode(
      code: Pick<
        OAuth2Server.AuthorizationCode,
        'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'
      >,
      client: OAuth2Server.Client,
      user: OAuth2Server.User,
    ): Promise<OAuth2Server.AuthorizationCode> {
      const record = recordOf(client);
      const modelClient = client as OAuthModelClient;
      if (!record.grants.includes('authorization_code')) {
        throw new UnauthorizedClientError('Unauthorized client: `grant_type` is invalid');
      }
      if (!record.redirectUris.includes(code.redirectUri)) {
        throw new InvalidRequestError('Invalid request: `redirect_uri` is not registered for this client');
      }
      const scope = code.scope ?? [];
      if (!isSubset(scope, record.scopes)) throw new InvalidScopeError('Invalid scope: Requested scope is invalid');
      const pkce = decidePkce(modelClient, code.codeChallenge, code.codeChallengeMethod);
      if (!pkce.ok) throw new InvalidRequestError(pkce.reason);
      const issued = await core.issueAuthorizationCode({
        client: record,
        userId: userIdOf(user),
        redirectUri: code.redirectUri,
        scope,
        codeChallenge: pkce.codeChallenge,
        codeChallengeMethod: pkce.codeChallengeMethod,
      });
      return {
        authorizationCode: issued.code,
        expiresAt: issued.record.expiresAt,
        redirectUri: code.redirectUri,
        ...(scope.length > 0 ? { scope } : {}),
        ...(pkce.codeChallenge ? { codeChallenge: pkce.codeChallenge, codeChallengeMethod: pkce.codeChallengeMethod ?? undefined } : {}),
        client,
        user,
      };
    },

    async getAuthorizationCode(authorizationCode: string): Promise<OAuth2Server.AuthorizationCode | null> {
      const found = await core.findAuthorizationCode(authorizationCode);
      if (!found) return null;
      const now = core.now();
      if (found.consumedAt !== null) {
        // RFC 6749 §4.1.2: a code used twice must be refused, and the tokens issued from it
        // SHOULD be revoked.
        await storage.revokeTokens({ authorizationCodeId: found.id }, now);
        return null;
      }
      if (found.expiresAt <= now) return null;
      const user = await resolveUser(found.userId, null);
      if (!user) return null;
      lineages.set(user, { authorizationCodeId: found.id });
      const code = {
        authorizationCode,
        expiresAt: found.expiresAt,
        // Null when the authorization request omitted redirect_uri: then the token request needs
        // none either (RFC 6749 §4.1.3), and oauth2-server skips the comparison for a falsy value.
        redirectUri: found.redirectUri ?? '',
        scope: parseStoredScope(found.scope),
        client: { id: found.clientId } as OAuth2Server.Client,
        user,
        ...(found.codeChallenge
          ? { codeChallenge: found.codeChallenge, codeChallengeMethod: found.codeChallengeMethod ?? 'plain' }
          : {}),
      };
      codeIds.set(code, found.id);
      return code;
    },

    async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean> {
      const id = codeIds.get(code);
      if (!id) return false;
      const now = core.now();
      const consumed = await storage.consumeAuthorizationCode(id, now);
      // Lost the race to a concurrent exchange of the same code: that is a replay too.
      if (!consumed) await storage.revokeTokens({ authorizationCodeId: id }, now);
      return consumed;
    },

    async validateRedirectUri(redirectUri: string, client: OAuth2Server.Client): Promise<boolean> {
      return typeof redirectUri === 'string' && recordOf(client).redirectUris.includes(redirectUri);
    },
  };

  return model as unknown as OAuthUserModel;
}
