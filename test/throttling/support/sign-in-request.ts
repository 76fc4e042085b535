/** The authorization request the throttling tests sign in with: the stack's public client, PKCE, scope `read`. */
import { pkcePair } from '../../authorize/support/consent-form.js';
import { REDIRECT_URI, type Stack } from '../../reliability/support/stacks.js';

export function signInRequest(stack: Stack): Record<string, string> {
  return {
    response_type: 'code',
    client_id: stack.public.id,
    redirect_uri: REDIRECT_URI,
    scope: 'read',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  };
}
