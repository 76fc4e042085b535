import { readFileSync } from 'node:fs';
import type { OAuthProviderOptions } from 'oauth2-kit';
import { ConfigurationError } from './configuration-error.js';
import { MCP_SCOPE } from './demo-resources.js';

/** What the example servers' provider options depend on, known only once the server listens. */
export interface ExampleProviderSettings {
  /** The issuer identifier: JWT access tokens carry it as `iss`. */
  issuer: string;
  /** The operator key the JWT signing keys are encrypted under (`demo-signing-key.ts`). */
  signingKeyEncryptionKey: string;
}

/**
 * The provider options of both example servers, a development server's:
 *
 * - `allowPasswordGrant`: the demo shows every grant the kit implements, and its banner gets a
 *   user's token with the admin scope through the password grant, so it opts in. RFC 9700 §2.4
 *   says that grant MUST NOT be used (the client sees the user's password): an application of your
 *   own leaves this option out, and then the grant is refused everywhere.
 * - `issuer` and `signingKeys`: tokens for the MCP server are JWTs (RFC 9068), which it verifies
 *   itself with the published keys.
 * - `dynamicRegistration`: anyone may register a public client (RFC 7591), as MCP clients do; such
 *   a client may ask for the MCP server's scope only.
 * - `openid`: OpenID Connect on the authorization-code flow: a request with the `openid` scope gets
 *   an ID token, and a browser signed in once is not asked again while its session lasts.
 * - `clientMetadataDocuments`: a client may also name itself by the https URL of its Client ID
 *   Metadata Document, MCP's preferred way; such a client too gets the MCP server's scope only,
 *   and gets it when a request names no scope (RFC 6749 §3.3).
 *   Documents are fetched from public addresses only, unless `CLIENT_METADATA_ALLOW_HOSTS` lists
 *   hosts on this machine or network (`localhost,127.0.0.1`: a client you run yourself), and over
 *   https trusted by Node's roots, plus the PEM file `CLIENT_METADATA_CA_FILE` names.
 */
export function exampleProviderOptions(settings: ExampleProviderSettings, env: NodeJS.ProcessEnv = process.env): OAuthProviderOptions {
  const allowHosts = (env.CLIENT_METADATA_ALLOW_HOSTS ?? '').split(',').map((host) => host.trim()).filter((host) => host !== '');
  const caFile = env.CLIENT_METADATA_CA_FILE;
  return {
    allowPasswordGrant: true,
    issuer: settings.issuer,
    signingKeys: { encryptionKey: settings.signingKeyEncryptionKey },
    dynamicRegistration: { policy: 'public-clients', scopes: [MCP_SCOPE] },
    // OpenID Connect: ID tokens signed with the same managed keys, userinfo, discovery at
    // /.well-known/openid-configuration, sign-in sessions and remembered consent.
    openid: {},
    clientMetadataDocuments: {
      scopes: [MCP_SCOPE],
      defaultScopes: [MCP_SCOPE],
      ...(allowHosts.length === 0 ? {} : { allowHosts }),
      ...(caFile === undefined || caFile === '' ? {} : { ca: readCaFile(caFile) }),
    },
  };
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`CLIENT_METADATA_CA_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${path}`);
  }
}
