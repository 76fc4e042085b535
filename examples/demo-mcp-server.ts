import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { OAuthGuardResult } from 'oauth2-kit';
import { z } from 'zod';

/** What `whoami` answers: the facts of the caller's access token, never the token itself. */
export interface CallerFacts {
  /** The user the token was issued to; null for a client's own token (client_credentials). */
  subject: string | null;
  username: string | null;
  clientId: string;
  clientName: string;
  scopes: string[];
  /** The resources the token was issued for (RFC 8707): this MCP server's identifier. */
  audience: string[];
  expiresAt: string;
}

function factsOf(caller: OAuthGuardResult): CallerFacts {
  return {
    subject: caller.user?.id ?? null,
    username: caller.user?.username ?? null,
    clientId: caller.client.id,
    clientName: caller.client.name,
    scopes: [...caller.scope],
    audience: [...caller.audience],
    expiresAt: caller.token.accessTokenExpiresAt.toISOString(),
  };
}

const callerFactsShape = {
  subject: z.string().nullable(),
  username: z.string().nullable(),
  clientId: z.string(),
  clientName: z.string(),
  scopes: z.array(z.string()),
  audience: z.array(z.string()),
  expiresAt: z.string(),
};

/**
 * The demo MCP server, built for one request: its tools answer for `caller`, the token the guard
 * admitted. `whoami` shows what the token says; `echo` is a tool with an argument.
 */
export function demoMcpServer(caller: OAuthGuardResult): McpServer {
  const server = new McpServer({ name: 'oauth2-kit-demo', version: '1.0.0' });
  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'The access token this request was made with: its user, client, scopes and audience.',
      outputSchema: callerFactsShape,
    },
    () => {
      const facts = factsOf(caller);
      return { content: [{ type: 'text', text: JSON.stringify(facts) }], structuredContent: { ...facts } };
    },
  );
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Sends the text back.',
      inputSchema: { text: z.string().max(1000) },
    },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}
