import type { OAuthProviderOptions } from 'oauth2-kit';

/**
 * The provider options of both example servers.
 *
 * `allowPasswordGrant`: the demo shows every grant the kit implements, and its banner gets a
 * user's token with the admin scope through the password grant, so it opts in. RFC 9700 §2.4 says
 * that grant MUST NOT be used (the client sees the user's password): an application of your own
 * leaves this option out, and then the grant is refused everywhere.
 */
export const EXAMPLE_PROVIDER_OPTIONS: OAuthProviderOptions = { allowPasswordGrant: true };
