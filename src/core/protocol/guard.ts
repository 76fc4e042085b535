import OAuth2Server from '@node-oauth/oauth2-server';
import type { OAuthHttpResponse } from './http.js';
import type { GuardCheckOptions, OAuth2GuardInteractor, OAuthGuardOutcome, OAuthGuardResult } from './interactors.js';
import type { OAuthModelAccessToken } from '../oauth2-server/model.js';
import { authenticateBearer, fastPathModel, plainBearerToken } from '../oauth2-server/bearer-fast-path.js';
import { assertRealm, classifyFailure, errorBody, type Failure } from './error-responses.js';
import { flattenHeaders, flattenParameters } from './request-parameters.js';
import { isScopeToken } from '../provider/scope.js';

/** Options of {@link createGuard}. */
export interface GuardOptions {
  /** The server whose model came from `provider.clientModel()` or `provider.userModel()`. */
  server: OAuth2Server;
  /** Realm of the Bearer challenge (RFC 6750 §3). Default `oauth2`. */
  realm?: string;
  /** Answer every error with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /**
   * Accept `?access_token=` (RFC 6750 §2.3). Off by default: URLs end up in logs and histories.
   * Passed through to oauth2-server.
   */
  allowBearerTokensInQueryString?: boolean;
  /**
   * Told about failures that are not protocol errors (storage unavailable, bugs), for logging.
   * A check's own `onError` ({@link GuardCheckOptions}) takes its place for that check.
   */
  onError?: (error: unknown) => void;
}

type Reporter = (error: unknown) => void;

/** Characters allowed inside a quoted challenge parameter, conservatively. */
const quote = (value: string) => value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');

/**
 * Bearer-token validation for protected resources (RFC 6750), framework-free. One storage call per
 * check. Errors follow RFC 6750 §3.1: 401 without an `error` attribute when no token was sent,
 * 401 `invalid_token`, 400 `invalid_request`, 403 `insufficient_scope` with the needed `scope`.
 */
export function createGuard(options: GuardOptions): OAuth2GuardInteractor {
  const realm = options.realm ?? 'oauth2';
  assertRealm(realm);
  const legacy = options.legacyForbiddenErrors === true;

  function respond(status: number, challenge: string | null, body: unknown): OAuthGuardOutcome {
    const headers: Record<string, string> = {};
    if (challenge !== null) headers['www-authenticate'] = challenge;
    const response: OAuthHttpResponse = { status: legacy ? 403 : status, headers, body };
    return { ok: false, response };
  }

  function challenge(error: string, description: string, extra = ''): string {
    return `Bearer realm="${realm}", error="${error}", error_description="${quote(description)}"${extra}`;
  }

  function failed(failure: Failure, required: string[], error: unknown, report: Reporter | undefined): OAuthGuardOutcome {
    if (failure.kind !== 'protocol') {
      report?.(error);
      return failure.kind === 'unavailable'
        ? respond(503, null, errorBody('temporarily_unavailable', 'The server is temporarily unavailable'))
        : respond(500, null, errorBody('server_error', 'The server encountered an unexpected condition'));
    }
    switch (failure.error) {
      case 'unauthorized_request':
        // RFC 6750 §3.1: a request without any credentials gets no error information.
        return respond(401, `Bearer realm="${realm}"`, '');
      case 'insufficient_scope':
        return respond(
          403,
          challenge('insufficient_scope', failure.description, `, scope="${quote(required.join(' '))}"`),
          errorBody('insufficient_scope', failure.description),
        );
      case 'invalid_token':
        return respond(401, challenge('invalid_token', failure.description), errorBody('invalid_token', failure.description));
      default:
        return respond(400, challenge('invalid_request', failure.description), errorBody('invalid_request', failure.description));
    }
  }

  return {
    async check(request, checkOptions = {}) {
      const required = checkOptions.scope ?? [];
      if (!Array.isArray(required) || !required.every(isScopeToken)) {
        throw new TypeError('guard scope must be a list of scope-tokens (RFC 6749 §3.3)');
      }
      try {
        let token: OAuthModelAccessToken;
        // The common request (one Bearer header, nothing unusual) skips oauth2-server's request and
        // handler objects with identical outcomes; anything else takes the full path (bearer-fast-path.ts).
        const bearer = plainBearerToken(request);
        const model = bearer === undefined ? undefined : fastPathModel(options.server, required);
        if (bearer !== undefined && model !== undefined) {
          token = (await authenticateBearer(model, bearer, required)) as OAuthModelAccessToken;
        } else {
          const headers = flattenHeaders(request);
          const query = flattenParameters(request.query);
          const body = flattenParameters(request.body);
          for (const outcome of [headers, query, body]) {
            if (!outcome.ok) {
              return failed({ kind: 'protocol', error: 'invalid_request', description: outcome.description, status: 400 }, required, null, undefined);
            }
          }
          const serverRequest = new OAuth2Server.Request({
            method: request.method.toUpperCase(),
            headers: headers.ok ? headers.headers : {},
            query: query.ok ? query.parameters : {},
            body: body.ok ? body.parameters : {},
          });
          token = (await options.server.authenticate(serverRequest, new OAuth2Server.Response({ headers: {} }), {
            ...(required.length > 0 ? { scope: required } : {}),
            allowBearerTokensInQueryString: options.allowBearerTokensInQueryString === true,
            addAcceptedScopesHeader: false,
            addAuthorizedScopesHeader: false,
          })) as unknown as OAuthModelAccessToken;
        }
        if (typeof token.tokenId !== 'string') {
          throw new TypeError('the server model did not come from an OAuthProvider');
        }
        const oauth: OAuthGuardResult = {
          token: { id: token.tokenId, accessTokenExpiresAt: token.accessTokenExpiresAt },
          client: { id: token.client.id, name: token.client.name },
          user: token.userId === null ? null : { ...(token.user as { id: string }) },
          scope: [...token.scope],
        };
        return { ok: true, oauth };
      } catch (error) {
        return failed(classifyFailure(error), required, error, checkOptions.onError ?? options.onError);
      }
    },
  };
}
