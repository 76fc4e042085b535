/**
 * Where the MCP tests' clients publish their Client ID Metadata Documents: an HTTPS server on
 * 127.0.0.1 with a certificate from the tests' own CA, and the settings that make the example
 * server fetch from it — trust that CA, and allow documents on this machine — for the tests only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, startDocumentServer, type DocumentServer } from '../../client-metadata/support/document-server.js';
import { createTestCa } from '../../client-metadata/support/test-ca.js';

export interface ClientDocumentHost {
  documents: DocumentServer;
  /** The example server's environment for fetching from {@link documents}. */
  exampleEnv: Record<string, string>;
  /**
   * Publishes a public client's document at `path` (the code flow, redirecting to `redirectUri`);
   * returns its URL, the client's `client_id`.
   */
  publish(path: string, redirectUri: string, clientName: string): string;
  close(): Promise<void>;
}

export async function startClientDocumentHost(): Promise<ClientDocumentHost> {
  const ca = await createTestCa();
  const folder = await mkdtemp(join(tmpdir(), 'oauth2-kit-mcp-ca-'));
  await writeFile(join(folder, 'ca.pem'), ca.cert);
  const documents = await startDocumentServer(ca, ['localhost']);
  return {
    documents,
    exampleEnv: { CLIENT_METADATA_CA_FILE: join(folder, 'ca.pem'), CLIENT_METADATA_ALLOW_HOSTS: 'localhost,127.0.0.1' },
    publish(path, redirectUri, clientName) {
      const clientId = documents.url(path);
      documents.route(
        path,
        json({
          client_id: clientId,
          client_name: clientName,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      );
      return clientId;
    },
    async close() {
      await documents.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
