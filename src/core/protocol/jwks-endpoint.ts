import type { OAuthProvider } from '../oauth-provider.js';
import { JWKS_MAX_AGE_SECONDS } from '../provider/signing/key-schedule.js';
import { classifyFailure, endpointErrorResponse } from './error-responses.js';
import type { OAuthHttpResponse } from './http.js';
import type { AuthControllerCallOptions } from './interactors.js';

/** Options of {@link createJwksEndpoint}. */
export interface JwksEndpointOptions {
  /** The provider whose signing keys are published. */
  provider: OAuthProvider;
  /** Answer errors with 403, as the ancestor library did. Off by default. */
  legacyForbiddenErrors?: boolean;
  /**
   * Told about failures (storage unavailable, an unreadable key, bugs). The error may carry driver
   * details: log it, never send it. A call's own `onError` takes its place for that call; without
   * either, the call's `fallbackOnError` is told.
   */
  onError?: (error: unknown) => void;
}

/** The JWKS endpoint, framework-free (built by {@link createJwksEndpoint}). */
export interface JwksEndpoint {
  /**
   * The provider's published signing keys as a JWK Set (RFC 7517 §5), for `jwks_uri` (RFC 8414
   * §2): `200` with `Content-Type: application/jwk-set+json` (RFC 7517 §8.5.2), `Cache-Control:
   * public, max-age=600` and `Access-Control-Allow-Origin: *` (public keys, for browsers too). A
   * storage failure is `503`, anything else `500`, each with its cause told to `onError`.
   */
  jwks(options?: AuthControllerCallOptions): Promise<OAuthHttpResponse>;
}

/**
 * The JWKS endpoint of a provider whose storage keeps signing keys. A key published ahead of its
 * activation is in the set from the moment it is created, at least `max-age` plus a minute before
 * it signs (`provider.keys.rotate()`); a retired key stays until the last token it signed has
 * expired. Throws a `TypeError` for a provider whose storage has no signing-key port.
 */
export function createJwksEndpoint(options: JwksEndpointOptions): JwksEndpoint {
  const { provider } = options;
  if (!provider.keys.storesKeys) {
    throw new TypeError("createJwksEndpoint: the provider's storage has no signing-key port (OAuthSigningKeyStorage), so it publishes no keys");
  }
  const settings = { legacyForbiddenErrors: options.legacyForbiddenErrors === true, realm: 'oauth2' };
  return {
    async jwks(callOptions?: AuthControllerCallOptions): Promise<OAuthHttpResponse> {
      try {
        const body = await provider.keys.jwks();
        return {
          status: 200,
          headers: {
            'content-type': 'application/jwk-set+json',
            'cache-control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
            'access-control-allow-origin': '*',
          },
          body,
        };
      } catch (error) {
        const report = callOptions?.onError ?? options.onError ?? callOptions?.fallbackOnError;
        return endpointErrorResponse(classifyFailure(error), settings, report, error);
      }
    },
  };
}

