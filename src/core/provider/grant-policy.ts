import { ValidationError } from '../errors.js';
import type { GrantType } from '../storage/records.js';

/**
 * Which grants the server offers. The resource owner password credentials grant is off unless
 * the provider is built with `allowPasswordGrant: true`: RFC 9700 §2.4 says it "MUST NOT be used"
 * (it hands the user's password to the client, and cannot carry multi-factor or consent). With it
 * off, no client can be registered for it, the token endpoint answers it `unsupported_grant_type`
 * even for a client stored with it earlier, and the metadata does not advertise it.
 */

/** Every grant the kit implements, in the order the metadata lists them. */
const GRANTS: readonly GrantType[] = ['authorization_code', 'client_credentials', 'password', 'refresh_token'];

/** The grants a provider offers: every one, the password grant only when opted in. */
export function offeredGrants(allowPasswordGrant: boolean): readonly GrantType[] {
  return allowPasswordGrant ? GRANTS : GRANTS.filter((grant) => grant !== 'password');
}

/** Why the token endpoint refuses `grant_type=password` when it is not offered (RFC 6749 §5.2). */
export const PASSWORD_GRANT_NOT_OFFERED =
  'Unsupported grant type: this server does not offer the password grant (RFC 9700 §2.4)';

/**
 * Refuses a registration or an update that names a grant the provider does not offer, saying how
 * to offer it.
 */
export function assertGrantsOffered(grants: readonly GrantType[], allowPasswordGrant: boolean): void {
  if (allowPasswordGrant || !grants.includes('password')) return;
  throw new ValidationError(
    'grants',
    'the password grant is off (RFC 9700 §2.4: it MUST NOT be used); to offer it anyway, ' +
      'build the provider with the option `allowPasswordGrant: true`',
  );
}
