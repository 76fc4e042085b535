/**
 * Obtaining the credentials a race is run on: tokens through the token endpoint, authorization
 * codes through the framework-free authorization endpoint (what a sign-in page would call).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createAuthorizationEndpoint } from '../../../src/core/index.js';
import { basic, post, type Answer } from './http.js';
import type { Stack } from './stacks.js';

export function passwordGrant(stack: Stack): Promise<Answer> {
  return post(
    stack.endpoint('token'),
    { grant_type: 'password', username: stack.user.username, password: stack.user.password, scope: 'read write' },
    { authorization: basic(stack.confidential.id, stack.confidential.secret) },
  );
}

export function refreshGrant(stack: Stack, refreshToken: string): Promise<Answer> {
  return post(stack.endpoint('token'), { grant_type: 'refresh_token', refresh_token: refreshToken }, {
    authorization: basic(stack.confidential.id, stack.confidential.secret),
  });
}

/** A fresh access and refresh token for the stack's user. */
export async function signedIn(stack: Stack): Promise<{ accessToken: string; refreshToken: string }> {
  const answer = await passwordGrant(stack);
  if (answer.status !== 200) throw new Error(`password grant answered ${answer.status}: ${answer.text}`);
  return { accessToken: answer.json.access_token, refreshToken: answer.json.refresh_token };
}

/** An authorization code for the public client, issued to the stack's user, with its PKCE verifier. */
export async function authorizationCode(stack: Stack): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const endpoint = createAuthorizationEndpoint({ provider: stack.provider });
  const check = await endpoint.validate({
    client_id: stack.public.id,
    redirect_uri: stack.public.redirectUri,
    response_type: 'code',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'read',
  });
  if (!check.ok) throw new Error(`authorization request refused: ${check.error}`);
  const { redirectTo } = await endpoint.approve(check.request, { id: stack.user.id });
  const code = new URL(redirectTo).searchParams.get('code');
  if (code === null) throw new Error(`no code in ${redirectTo}`);
  return { code, verifier };
}

/** Exchanges a code for tokens at the token endpoint (public client, PKCE). */
export function exchangeCode(stack: Stack, code: { code: string; verifier: string }): Promise<Answer> {
  return post(stack.endpoint('token'), {
    grant_type: 'authorization_code',
    code: code.code,
    redirect_uri: stack.public.redirectUri,
    client_id: stack.public.id,
    code_verifier: code.verifier,
  });
}
