import { createHash, randomBytes } from 'node:crypto';
import { protectedResourceMetadataUrl } from 'oauth2-kit';
import type { DemoCredentials } from './demo-seed.js';

/**
 * The first-run banner: the demo credentials and commands that work when pasted as they are.
 * It is printed once, as human text on stderr (never through the JSON log), because it is the one
 * place the demo secret and password ever appear: only their hashes are stored.
 */

/** Reads `access_token` from a token response on stdin (no jq needed: node is there already). */
const EXTRACT_TOKEN = `node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token'`;

export function demoBanner(demo: DemoCredentials, baseUrl: string, cli: string, mcpUrl: string): string {
  const auth = `-u ${demo.clientId}:${demo.clientSecret}`;
  const tokenUrl = `${baseUrl}/auth/token`;
  // A PKCE pair for the browser walk-through (RFC 7636 §4.1–4.2). A real client makes a new one per request.
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorizeUrl =
    `${baseUrl}/auth/authorize?response_type=code&client_id=${demo.clientId}&scope=read` +
    `&state=demo&code_challenge=${challenge}&code_challenge_method=S256`;
  const rule = '─'.repeat(78);
  return [
    rule,
    ' oauth2-kit demo — first run: created a demo client and a demo user',
    rule,
    `   client_id      ${demo.clientId}`,
    `   client_secret  ${demo.clientSecret}`,
    `   scopes         ${demo.scopes.join(' ')}`,
    `   default scope  ${demo.defaultScopes.join(' ')}`,
    `   redirect URI   ${demo.redirectUri}`,
    `   user           ${demo.username}`,
    `   password       ${demo.password}`,
    '',
    ' Shown this ONCE: only hashes are stored, so they cannot be displayed again.',
    ` Lost the secret? ${cli} client rotate-secret ${demo.clientId}`,
    ' (on the embedded database, stop the server first: PGlite admits one process at a time).',
    '',
    ' A client_credentials token:',
    '',
    `   curl -s ${auth} -d grant_type=client_credentials -d scope=read ${tokenUrl}`,
    '',
    ' A token, then the protected route GET /api/me with it:',
    '',
    `   TOKEN=$(curl -s ${auth} -d grant_type=client_credentials -d scope=read ${tokenUrl} | ${EXTRACT_TOKEN})`,
    `   curl -s -H "Authorization: Bearer $TOKEN" ${baseUrl}/api/me`,
    '',
    ` As the user "${demo.username}" with the admin scope (password grant), then GET /api/admin:`,
    '',
    `   ADMIN_TOKEN=$(curl -s ${auth} -d grant_type=password -d username=${demo.username} -d password=${demo.password} -d "scope=read admin" ${tokenUrl} | ${EXTRACT_TOKEN})`,
    `   curl -s -H "Authorization: Bearer $ADMIN_TOKEN" ${baseUrl}/api/admin`,
    '',
    ` Authorization code with PKCE: open this in a browser and sign in as "${demo.username}",`,
    '',
    `   ${authorizeUrl}`,
    '',
    ' then exchange the code that /demo/callback shows (within 5 minutes):',
    '',
    '   CODE=paste-the-code-here',
    `   curl -s ${auth} -d grant_type=authorization_code -d "code=$CODE" -d code_verifier=${verifier} ${tokenUrl}`,
    '',
    ' OpenID Connect: with scope=openid%20profile in that URL the exchange also returns an ID token;',
    ` a relying-party library finds everything from ${baseUrl}/.well-known/openid-configuration`,
    '',
    ` An MCP server (Streamable HTTP) at ${mcpUrl}, for tokens issued to it with scope mcp:tools.`,
    ' Without one it answers 401 naming its metadata (RFC 9728), from which an MCP client finds the rest:',
    '',
    `   curl -s ${protectedResourceMetadataUrl(mcpUrl)}`,
    '',
    ' A development server: anyone may register a client for it (RFC 7591, POST /auth/register),',
    ' or name one by the https URL of its Client ID Metadata Document.',
    rule,
    '',
  ].join('\n');
}
