import { connect } from 'node:net';

/** Where Prisma's CLI downloads its native engines from (its own default and override). */
export function engineDownloadUrl(env: NodeJS.ProcessEnv = process.env): URL {
  return new URL(env.PRISMA_ENGINES_MIRROR || 'https://binaries.prisma.sh');
}

/** Whether the download host answers, and if not, why. */
export type Reachability = { reachable: true } | { reachable: false; reason: string };

/**
 * Whether Prisma's CLI could download its engine from here: a TCP connection to the download host
 * (or to the HTTPS proxy the CLI would go through), within `timeoutMs`. A connection is enough:
 * the point is telling an air-gapped machine (no DNS answer, no route, refused) from one online.
 */
export function probeEngineDownloadHost(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1500): Promise<Reachability> {
  const proxy = env.HTTPS_PROXY || env.https_proxy;
  const target = proxy ? new URL(proxy) : engineDownloadUrl(env);
  const port = Number(target.port) || (target.protocol === 'http:' ? 80 : 443);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: Reachability) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ reachable: false, reason: `no answer from ${host}:${port} within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => done({ reachable: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ reachable: false, reason: `${host}:${port}: ${error.code ?? error.message}` }));
  });
}
