/**
 * A certificate authority of the tests' own, made with `selfsigned`: the document servers present
 * certificates it issued, and the fetch trusts it through `clientMetadataDocuments.ca`, as an
 * operator trusts a private PKI. Nothing else trusts it.
 */
import { generate } from 'selfsigned';

export interface TestCa {
  /** The CA certificate (PEM): what `ca` is given. */
  cert: string;
  /** A server certificate and key for these DNS names and IP addresses, issued by the CA. */
  issue(names: string[], ips?: string[]): Promise<{ cert: string; key: string }>;
}

export async function createTestCa(): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: 'oauth2-kit test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return {
    cert: ca.cert,
    async issue(names, ips = []) {
      const leaf = await generate([{ name: 'commonName', value: names[0] ?? ips[0] ?? 'server' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        ca: { key: ca.private, cert: ca.cert },
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
        ],
      });
      return { cert: leaf.cert, key: leaf.private };
    },
  };
}
