import OAuth2Server from '@node-oauth/oauth2-server';
import type { GetOAuthUser, LoginOAuthUser, OAuthUser, ValidateScope } from '../provider/application-callbacks.js';
import { toModelClient, type OAuthModelClient } from '../provider/client-views.js';
import { isRefreshTokenActive, type Credentials } from '../provider/credentials.js';
import {
  isBoundedString,
  isStorableText,
  isUserId,
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
} from '../provider/input-limits.js';
import { generateCredential } from '../provider/opaque-credentials.js';
import { IdTokens, type IdTokenSigner } from '../provider/openid/id-tokens.js';
import { decidePkce } from '../provider/pkce-policy.js';
import { linkCredentials } from '../provider/provider-link.js';
import { isRegisteredRedirectUri } from '../provider/redirect-uri.js';
import {
  lookUpResources,
  parseAudience,
  scopeForResources,
  scopeOutsideResources,
} from '../provider/resource-indicators.js';
import { isScopeToken, isSubset, MISSING_SCOPE_REFUSED, parseScope, parseStoredScope } from '../provider/scope.js';
import type { Authentication, ClientRecord, GrantType, ResourceRecord, TokenLookup } from '../storage/records.js';
import { InvalidTargetError } from './library-errors.js';
import { sourceKeyOf } from '../runtime/attempt-source.js';
import { tokenRequestFactsOf, type TokenRequestFacts } from './token-request-facts.js';

/**
 * The model the kit hands @node-oauth/oauth2-server (docs/adr/0006): its documented model
 * interface, implemented on the provider's credentials. The library runs the grants of the token
 * endpoint (and its own authorize and authenticate handlers, for applications that call them);
 * every credential is minted, stored, found and compared by the kit.
 */

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
 * single token lookup: the user is `{ id, username }` from the join, never a `getUser` call.
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

/** What a model is built from. */
export interface ModelDependencies {
  credentials: Credentials;
  /** The grants this model serves; other grants of a client are hidden from oauth2-server. */
  grants: readonly GrantType[];
  validateScope: ValidateScope;
  getUser?: GetOAuthUser;
  loginUser?: LoginOAuthUser;
  /**
   * True when `getUser` is the default user store's: then a token row joined with a username proves
   * the user exists, and the refresh grant skips the `getUser` call.
   */
  getUserIsDefaultStore?: boolean;
}

/** How a new issuance descends from an earlier one (RFC 9700 §4.14.2, RFC 6749 §4.1.2). */
interface Lineage {
  /** What the grant exchanges: an authorization code, or a refresh token. */
  from: 'code' | 'refresh';
  /**
   * The audience the code or refresh token was granted (RFC 8707 §2.2): the resources a token may
   * be asked for from it, stored form. Null: none.
   */
  audience: string | null;
  familyId?: string;
  authorizationCodeId: string | null;
  /** The issuance whose refresh token this one replaces: claimed once the new one is stored. */
  rotates?: string;
  /**
   * The authentication the grant began with (OIDC Core §2), from the code and then from each
   * issuance of the family, so that every rotation keeps it and an ID token issued on refresh
   * names the original one (OIDC Core §12.2).
   */
  authentication: Authentication;
  /** The authorization request's `nonce` (OIDC Core §3.1.2.1): the code's; never on refresh (§12.2). */
  nonce: string | null;
}

/** The `scope` value that makes a request an OpenID Connect one (OIDC Core §3.1.2.1). */
const OPENID_SCOPE = 'openid';

/**
 * What the model knows of an object it handed oauth2-server. The library documents that it hands
 * those objects back to the model later in the same request (the client from `getClient` to
 * `saveToken`, the user from `getRefreshToken` to `saveToken`, the token from `getRefreshToken` to
 * `revokeToken`); what the model needs then rides with them here, instead of costing storage calls.
 */
type Handed =
  | { role: 'client'; record: ClientRecord }
  /** The `user` of a client_credentials token: the library insists on one; there is none. */
  | { role: 'no-user' }
  | { role: 'user'; lineage: Lineage | undefined }
  | { role: 'refresh-token'; id: string; lineage: Lineage }
  | { role: 'code'; id: string };

/**
 * Builds an @node-oauth/oauth2-server 5.3 model on a provider's credentials. Linked to them (as the
 * provider is), so that a guard given only the server finds its provider.
 */
export function buildOAuth2ServerModel(deps: ModelDependencies): OAuthUserModel {
  const { credentials } = deps;
  const runtime = credentials.storage.runtime;
  const handed = new WeakMap<object, Handed>();
  const openid = credentials.settings.openid;
  const idTokens = openid === null ? null : new IdTokens(credentials.keyRing, credentials.settings.signing.issuer, openid, () => credentials.now());

  function hand<T extends object>(object: T, facts: Handed): T {
    handed.set(object, facts);
    return object;
  }

  function recordOf(client: object): ClientRecord {
    const facts = handed.get(client);
    if (facts?.role !== 'client') throw new TypeError('the client object did not come from this model');
    return facts.record;
  }

  const hasNoUser = (user: object) => handed.get(user)?.role === 'no-user';
  const lineageOf = (user: object) => {
    const facts = handed.get(user);
    return facts?.role === 'user' ? facts.lineage : undefined;
  };

  function userIdOf(user: unknown): string {
    const id = (user as { id?: unknown } | null | undefined)?.id;
    if (!isUserId(id)) throw new TypeError('the user has no valid string `id`');
    return id;
  }

  function requireCallback<T>(callback: T | undefined, name: string): T {
    if (!callback) throw new TypeError(`this model has no ${name} callback`);
    return callback;
  }

  async function resolveUser(userId: string, joinedUsername: string | null): Promise<OAuthUser | null> {
    if (deps.getUserIsDefaultStore && joinedUsername !== null) return { id: userId, username: joinedUsername };
    const user = await requireCallback(deps.getUser, 'getUser')(userId);
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
          ? hand({}, { role: 'no-user' })
          : { id: found.userId, ...(found.username !== null ? { username: found.username } : {}) },
      tokenId: found.id,
      userId: found.userId,
    };
  }

  /**
   * The registered resources a token of this request is for (RFC 8707 §2.2), with one
   * `findResources` call: those the request names or, naming none, those the code or refresh token
   * it exchanges was granted. Named resources must be registered and, for a code or refresh token,
   * among those it was granted (a refresh narrows, never widens); else `invalid_target`. A resource
   * deleted since the grant is no longer issued tokens for.
   */
  async function audienceOf(lineage: Lineage | undefined, facts: TokenRequestFacts | undefined): Promise<ResourceRecord[]> {
    const named = facts?.resources;
    const granted = lineage ? parseAudience(lineage.audience) : undefined;
    const outside = granted && named?.find((id) => !granted.includes(id));
    if (outside !== undefined) {
      const by = lineage?.from === 'code' ? 'the authorization code' : 'the refresh token';
      throw new InvalidTargetError(`Invalid target: ${by} was not granted the resource ${outside}`);
    }
    const lookup = await lookUpResources(credentials.storage, named ?? granted ?? []);
    if (!lookup.ok) throw new InvalidTargetError(lookup.description);
    return lookup.resources;
  }

  /**
   * The ID token this issuance answers with, prepared (OIDC Core §3.1.3.3 for the code grant,
   * §12.2 for a refresh), or null: only with OpenID Connect on, for a user, when the granted scope
   * holds `openid`, and for a grant that began with an authorization code, so that the
   * client_credentials and password grants (and the refreshes of the latter) never get one.
   */
  async function prepareIdToken(record: ClientRecord, userId: string | null, scope: readonly string[], lineage: Lineage | undefined): Promise<IdTokenSigner | null> {
    if (idTokens === null || userId === null || lineage === undefined || lineage.authorizationCodeId === null || !scope.includes(OPENID_SCOPE)) return null;
    return idTokens.prepare({ client: record, userId, nonce: lineage.nonce, authentication: lineage.authentication });
  }

  const model = {
    // The library's documented hooks for minting: tokens and codes are 256-bit random values from
    // one place (provider/opaque-credentials.ts); `saveToken`/`saveAuthorizationCode` store digests.
    async generateAccessToken(): Promise<string> {
      return generateCredential();
    },
    async generateRefreshToken(): Promise<string> {
      return generateCredential();
    },
    async generateAuthorizationCode(): Promise<string> {
      return generateCredential();
    },

    // The library calls each method on the model of the request (token-request-facts.ts): `this`
    // carries the request's facts.
    async getClient(this: object, clientId: string, clientSecret: string | null | undefined): Promise<OAuthModelClient | null> {
      const record = await credentials.authenticateClient(clientId, clientSecret, sourceKeyOf(tokenRequestFactsOf(this)?.sourceAddress));
      if (!record) return null;
      return hand(toModelClient(record, credentials.lifetimesOf(record), deps.grants), { role: 'client', record });
    },

    async getUserFromClient(_client: OAuth2Server.Client): Promise<Record<string, never>> {
      return hand({}, { role: 'no-user' });
    },

    async getUser(this: object, username: string, password: string): Promise<OAuthUser | null> {
      if (!isStorableText(username, MAX_USERNAME_LENGTH) || !isBoundedString(password, MAX_PASSWORD_LENGTH)) return null;
      const loginUser = requireCallback(deps.loginUser, 'loginUser');
      // RFC 6749 §10.10: password guessing is throttled per username (429 while it is).
      const sourceAddress = tokenRequestFactsOf(this)?.sourceAddress ?? null;
      const user = await credentials.throttledLogin(username, sourceKeyOf(sourceAddress), async () => (await loginUser(username, password, { sourceAddress })) ?? null);
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
      const owner = hasNoUser(user) ? null : (user as OAuthUser);
      const granted = await deps.validateScope(owner, client as OAuthModelClient, scope);
      // Whatever the policy says, a token never carries a scope the client may not have.
      if (!Array.isArray(granted) || !granted.every(isScopeToken) || !isSubset(granted, record.scopes)) {
        // RFC 6749 §3.3: a request without scope that gets no default fails "indicating an invalid scope".
        if (scope === undefined) throw new InvalidScopeError(MISSING_SCOPE_REFUSED);
        return false;
      }
      return [...new Set(granted)];
    },

    async saveToken(
      this: object,
      token: OAuth2Server.Token,
      client: OAuth2Server.Client,
      user: OAuth2Server.User,
    ): Promise<OAuth2Server.Token> {
      const record = recordOf(client);
      const isClientToken = hasNoUser(user);
      const userId = isClientToken ? null : userIdOf(user);
      const scope = token.scope ?? [];
      // Also catches a refresh after the client lost a scope: the narrowed grant must be requested.
      if (!isSubset(scope, record.scopes)) throw new InvalidScopeError('Invalid scope: the client may not be granted this scope');
      const lineage = lineageOf(user);
      const facts = tokenRequestFactsOf(this);
      const resources = await audienceOf(lineage, facts);
      // RFC 9068 §2.2: a JWT for a client on its own behalf has the client id as `sub`, which is how
      // resource servers tell it apart; a user whose id is the client's would be taken for the
      // client (RFC 9700 §4.15), so such a user is not issued a JWT through that client.
      if (userId === record.id && resources.some((resource) => resource.tokenFormat === 'jwt')) {
        throw new InvalidGrantError('Invalid grant: the user has the id of the client, which a JWT access token could not tell apart');
      }
      // RFC 8707 §2: the resources bound the scope. A scope the request named must be theirs; one it
      // inherits (a default scope, the code's, the refresh token's) is narrowed to theirs.
      const named = lineage?.from !== 'code' && (facts?.scopeNamed ?? false);
      const narrowed = scopeForResources(scope, named, resources);
      if (!narrowed) throw new InvalidScopeError(scopeOutsideResources(named));
      const refreshToken = !isClientToken && typeof token.refreshToken === 'string' && record.grants.includes('refresh_token');
      // Expiry comes from the provider's clock and the client's lifetimes, not the library's.
      const input = {
        client: record,
        userId,
        scope: narrowed,
        resources,
        accessToken: token.accessToken,
        refreshToken: refreshToken ? (token.refreshToken as string) : false,
        ...(lineage?.familyId ? { familyId: lineage.familyId } : {}),
        authorizationCodeId: lineage?.authorizationCodeId ?? null,
        ...(lineage ? { authentication: lineage.authentication } : {}),
      };
      // Prepared before storing: a refresh whose ID token cannot be minted keeps its refresh token.
      const idToken = await prepareIdToken(record, userId, narrowed, lineage);
      // Rotation claims the old refresh token together with storing its successor, never before:
      // a revocation of the family racing this refresh must not miss the successor (RFC 7009 §2.1).
      // The claim stays the compare-and-set that lets exactly one concurrent refresh win
      // (docs/adr/0003).
      const issued = lineage?.rotates === undefined ? await credentials.issueTokens(input) : await credentials.rotateTokens(input, lineage.rotates);
      if (!issued) throw new InvalidGrantError('Invalid grant: refresh token is invalid or could not be revoked');
      return {
        accessToken: issued.accessToken,
        accessTokenExpiresAt: issued.accessTokenExpiresAt,
        ...(issued.refreshToken
          ? { refreshToken: issued.refreshToken, refreshTokenExpiresAt: issued.refreshTokenExpiresAt ?? undefined }
          : {}),
        ...(issued.scope.length > 0 ? { scope: issued.scope } : {}),
        // The response member's own name: runTokenHandler copies it into the body, and so does the
        // library for an application that calls `server.token()` with allowExtendedTokenAttributes.
        ...(idToken ? { id_token: idToken(issued.accessToken) } : {}),
        client,
        user,
      };
    },

    async getAccessToken(accessToken: string): Promise<OAuth2Server.Token | null> {
      // For applications that call `server.authenticate()` themselves; the kit's guard does not.
      const found = await credentials.findActiveAccessToken(accessToken);
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
      const found = await credentials.findRefreshToken(refreshToken);
      if (!found) return null;
      const now = credentials.now();
      if (found.revokedAt !== null) {
        // RFC 9700 §4.14.2: a rotated refresh token presented again means one of its holders is
        // not the legitimate client; end the whole grant.
        await runtime.revokeTokens({ familyId: found.familyId }, now);
        return null;
      }
      if (!isRefreshTokenActive(found, now) || found.userId === null) return null;
      const user = await resolveUser(found.userId, found.username);
      if (!user) return null;
      const lineage: Lineage = {
        from: 'refresh',
        audience: found.audience,
        familyId: found.familyId,
        authorizationCodeId: found.authorizationCodeId,
        // OIDC Core §12.2: the original authentication, and no nonce.
        authentication: { authTime: found.authTime, acr: found.acr, amr: found.amr },
        nonce: null,
      };
      hand(user, { role: 'user', lineage });
      return hand(
        {
          refreshToken,
          // Checked above against the provider's clock; the library would check it again against
          // its own (`new Date()`), which a provider with another clock must not be held to.
          refreshTokenExpiresAt: undefined,
          scope: parseStoredScope(found.scope),
          client: { id: found.clientId, name: found.clientName } as unknown as OAuth2Server.Client,
          user,
        },
        { role: 'refresh-token', id: found.id, lineage },
      );
    },

    async revokeToken(token: OAuth2Server.RefreshToken | OAuth2Server.Token): Promise<boolean> {
      const facts = handed.get(token);
      if (facts?.role !== 'refresh-token') return false;
      // oauth2-server revokes before it saves; the claim is deferred to `saveToken` (see there).
      // A refresh that fails before then leaves the old refresh token usable, as it should.
      facts.lineage.rotates = facts.id;
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
      if (!isRegisteredRedirectUri(record.redirectUris, code.redirectUri)) {
        throw new InvalidRequestError('Invalid request: `redirect_uri` is not registered for this client');
      }
      const scope = code.scope ?? [];
      if (!isSubset(scope, record.scopes)) throw new InvalidScopeError('Invalid scope: Requested scope is invalid');
      const pkce = decidePkce(modelClient, code.codeChallenge, code.codeChallengeMethod);
      if (!pkce.ok) throw new InvalidRequestError(pkce.reason);
      const issued = await credentials.issueAuthorizationCode({
        client: record,
        userId: userIdOf(user),
        code: code.authorizationCode,
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
      const found = await credentials.findAuthorizationCode(authorizationCode);
      if (!found) return null;
      const now = credentials.now();
      if (found.consumedAt !== null) {
        // RFC 6749 §4.1.2: a code used twice must be refused, and the tokens issued from it
        // SHOULD be revoked.
        await runtime.revokeTokens({ authorizationCodeId: found.id }, now);
        return null;
      }
      if (found.expiresAt <= now) return null;
      const user = await resolveUser(found.userId, null);
      if (!user) return null;
      hand(user, {
        role: 'user',
        lineage: {
          from: 'code',
          audience: found.audience,
          authorizationCodeId: found.id,
          authentication: { authTime: found.authTime, acr: found.acr, amr: found.amr },
          nonce: found.nonce,
        },
      });
      return hand(
        {
          authorizationCode,
          // Checked above against the provider's clock. The library compares `expiresAt` with its
          // own `new Date()` and insists on a Date: the farthest instant a Date holds passes that
          // check, and is never stored nor sent (pinned by test/oauth2-server/library-seam.test.ts).
          expiresAt: LATEST_DATE,
          // Null when the authorization request omitted redirect_uri: then the token request needs
          // none either (RFC 6749 §4.1.3), and oauth2-server skips the comparison for a falsy value.
          redirectUri: found.redirectUri ?? '',
          scope: parseStoredScope(found.scope),
          client: { id: found.clientId } as OAuth2Server.Client,
          user,
          ...(found.codeChallenge
            ? { codeChallenge: found.codeChallenge, codeChallengeMethod: found.codeChallengeMethod ?? 'plain' }
            : {}),
        },
        { role: 'code', id: found.id },
      );
    },

    async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean> {
      const facts = handed.get(code);
      if (facts?.role !== 'code') return false;
      const now = credentials.now();
      const consumed = await runtime.consumeAuthorizationCode(facts.id, now);
      // Lost the race to a concurrent exchange of the same code: that is a replay too.
      if (!consumed) await runtime.revokeTokens({ authorizationCodeId: facts.id }, now);
      return consumed;
    },

    async validateRedirectUri(redirectUri: string, client: OAuth2Server.Client): Promise<boolean> {
      return isRegisteredRedirectUri(recordOf(client).redirectUris, redirectUri);
    },
  };

  linkCredentials(model, credentials);
  return model as unknown as OAuthUserModel;
}

/** The latest instant a Date can hold (ECMA-262 §21.4.1.22). */
const LATEST_DATE = new Date(8.64e15);
