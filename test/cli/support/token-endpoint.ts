/**
 * The real token endpoint, in-process, on the database a CLI test works on: proves that what the
 * CLI wrote (a secret, a password) is what the authorization server then accepts.
 */
import OAuth2Server from '@node-oauth/oauth2-server';
import pg from 'pg';
import { createAuthController, type OAuthHttpResponse, type OAuthProviderOptions } from '../../../src/core/index.js';
import { OAuthSqlProvider, pgPoolAdapter } from '../../../src/providers/sql/index.js';

/** A token endpoint on a PostgreSQL database, with an optional clock (to mint already-expired tokens). */
export interface TokenEndpoint {
  token(form: Record<string, string>, basic?: { id: string; secret: string }): Promise<OAuthHttpResponse>;
  close(): Promise<void>;
}

export function tokenEndpointOn(url: string, now?: () => Date, options: OAuthProviderOptions = {}): TokenEndpoint {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const provider = new OAuthSqlProvider(pgPoolAdapter(pool), { ...options, ...(now === undefined ? {} : { now }) });
  const server = new OAuth2Server({ model: provider.userModel(provider.users.getUser, provider.users.login) });
  const controller = createAuthController({ server, provider });
  return {
    token(form, basic) {
      const authorization = basic ? `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}` : undefined;
      return controller.token({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
        query: {},
        body: form,
      });
    },
    close: () => pool.end(),
  };
}
