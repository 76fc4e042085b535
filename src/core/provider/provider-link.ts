import type { Credentials } from './credentials.js';

/**
 * How the endpoints built on a provider (`createAuthController`, `createGuard`,
 * `createAuthorizationEndpoint`) reach its credentials: a property under a symbol from the global
 * registry, never a module-level map. A provider built by one copy of oauth2-kit therefore works
 * with endpoints built by another copy of the same version (an application and a library it uses
 * may each install one). The version in the key names the shape of {@link Credentials}: it
 * changes when that shape does, so that copies which cannot work together say so.
 */
const LINK_PREFIX = 'oauth2-kit.credentials.';
const LINK = Symbol.for(`${LINK_PREFIX}v1`);

/** Called once by the provider (and by the models it builds, for a guard given only a server). */
export function linkCredentials(owner: object, credentials: Credentials): void {
  Object.defineProperty(owner, LINK, { value: credentials, enumerable: false });
}

/**
 * The credentials of a provider (or of a model it built). Throws a `TypeError` that says what is
 * wrong: not a provider at all, or a provider from an incompatible copy of oauth2-kit.
 */
export function credentialsOf(owner: unknown, what = 'provider'): Credentials {
  if (typeof owner === 'object' && owner !== null) {
    const linked = (owner as Record<symbol, unknown>)[LINK];
    if (typeof linked === 'object' && linked !== null) return linked as Credentials;
    const other = Object.getOwnPropertySymbols(owner).find((symbol) => symbol.description?.startsWith(LINK_PREFIX));
    if (other !== undefined) {
      throw new TypeError(
        `this ${what} comes from a copy of oauth2-kit whose internals differ (${other.description} where ` +
          `${LINK.description} was expected): install one version of oauth2-kit (see \`npm ls oauth2-kit\`)`,
      );
    }
  }
  throw new TypeError(`expected the ${what} to be an OAuthProvider from oauth2-kit (or a model one built)`);
}
