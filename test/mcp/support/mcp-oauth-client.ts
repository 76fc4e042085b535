/**
 * The MCP SDK's own OAuth client, as an application uses it: `Client` over
 * `StreamableHTTPClientTransport` with an `authProvider`. The provider here keeps everything in
 * memory, and its `redirectToAuthorization` is where a browser would take the user: it signs in on
 * the authorization server's page (the one step the SDK leaves to the application) and keeps the
 * code the redirect carries. Every request, the SDK's and the sign-in's, goes through one recording
 * fetch, so a test can show the whole exchange.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** One request as it went over the wire. */
export interface RecordedRequest {
  method: string;
  /** Origin, path and query, without the query's values (they carry codes and challenges). */
  url: string;
  status: number;
}

/** A fetch that records every request's method, URL and status, in order. */
export function recordingFetch(): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(input, init);
    requests.push({ method: request.method, url: withoutQueryValues(request.url), status: response.status });
    return response;
  };
  return { fetch: recording, requests };
}

function withoutQueryValues(url: string): string {
  const parsed = new URL(url);
  const names = [...new Set(parsed.searchParams.keys())];
  return `${parsed.origin}${parsed.pathname}${names.length === 0 ? '' : `?${names.join('&')}`}`;
}

/** The lines of a transcript: `METHOD URL → STATUS`. */
export function transcript(requests: readonly RecordedRequest[]): string {
  return requests.map(({ method, url, status }) => `${method.padEnd(6)} ${url} → ${status}`).join('\n');
}

/** Where the user's browser ends up after signing in: the redirect URI with the authorization response. */
export type SignIn = (authorizationUrl: URL) => Promise<URL>;

/** Options of {@link MemoryOAuthClient}. */
export interface MemoryOAuthClientOptions {
  redirectUrl: string;
  clientMetadata: OAuthClientMetadata;
  /** The client's metadata document URL, used as its client_id where the server supports them. */
  clientMetadataUrl?: string;
  signIn: SignIn;
}

/** An `OAuthClientProvider` that keeps its state in memory and signs in through {@link SignIn}. */
export class MemoryOAuthClient implements OAuthClientProvider {
  readonly clientMetadataUrl: string | undefined;
  /** Each authorization URL the SDK built, in order. */
  readonly authorizationUrls: URL[] = [];
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier: string | undefined;
  #state: string | undefined;
  #code: string | undefined;

  constructor(private readonly options: MemoryOAuthClientOptions) {
    this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return this.options.clientMetadata;
  }

  state(): string {
    this.#state = randomBytes(16).toString('base64url');
    return this.#state;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.#client = information;
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    if (this.#verifier === undefined) throw new Error('no code verifier was saved');
    return this.#verifier;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    this.authorizationUrls.push(authorizationUrl);
    const redirect = await this.options.signIn(authorizationUrl);
    const error = redirect.searchParams.get('error');
    if (error !== null) throw new Error(`the authorization server answered ${error}: ${redirect.searchParams.get('error_description') ?? ''}`);
    // What a client's redirect handler checks before it uses the code (RFC 6749 §10.12).
    if (redirect.searchParams.get('state') !== this.#state) throw new Error(`the redirect carries another state: ${redirect.href}`);
    const code = redirect.searchParams.get('code');
    if (code === null) throw new Error(`the redirect carries no code: ${redirect.href}`);
    this.#code = code;
  }

  /** The code of the last sign-in, once. */
  takeAuthorizationCode(): string {
    const code = this.#code;
    if (code === undefined) throw new Error('the SDK never sent the user to sign in');
    this.#code = undefined;
    return code;
  }
}

/**
 * Connects an MCP client to `url` as an application does: the first attempt runs discovery,
 * registration and the sign-in, and ends with `UnauthorizedError` (the browser went away);
 * `finishAuth(code)` exchanges the code; a second connection, on a new transport, uses the token.
 */
export async function connectWithOAuth(url: string, provider: MemoryOAuthClient, fetchFn: typeof fetch): Promise<Client> {
  const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: fetchFn });
  try {
    await new Client({ name: 'oauth2-kit-test', version: '1.0.0' }).connect(first);
    throw new Error('the MCP server admitted a client that had no token');
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  await first.finishAuth(provider.takeAuthorizationCode());
  const client = new Client({ name: 'oauth2-kit-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: fetchFn }));
  return client;
}
