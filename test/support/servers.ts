/**
 * Finds a database server for the tests, in this order: an environment URL; the conventional local
 * server when one answers on its default port; a throwaway container when a container engine is
 * reachable (testcontainers); otherwise a skip with the reason. Resolved once per process.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export type ServerKind = 'postgres' | 'mariadb';

interface ServerSpec {
  env: string;
  localUrl: string;
  port: number;
  image: string;
  containerEnv: Record<string, string>;
  urlFor(host: string, port: number): string;
}

const specs: Record<ServerKind, ServerSpec> = {
  postgres: {
    env: 'OAUTH2KIT_TEST_POSTGRES_URL',
    localUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
    port: 5432,
    image: 'postgres:15-alpine',
    containerEnv: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
    urlFor: (host, port) => `postgresql://postgres@${host}:${port}/postgres`,
  },
  mariadb: {
    env: 'OAUTH2KIT_TEST_MARIADB_URL',
    localUrl: 'mariadb://root@127.0.0.1:3306/',
    port: 3306,
    image: 'mariadb:10.11',
    containerEnv: { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1' },
    urlFor: (host, port) => `mariadb://root@${host}:${port}/`,
  },
};

const resolved = new Map<ServerKind, Promise<{ url: string } | { skip: string }>>();

/** Where the tests' server of this kind is, or why there is none. */
export function resolveServer(kind: ServerKind): Promise<{ url: string } | { skip: string }> {
  let found = resolved.get(kind);
  if (!found) {
    found = locate(specs[kind]);
    resolved.set(kind, found);
  }
  return found;
}

async function locate(spec: ServerSpec): Promise<{ url: string } | { skip: string }> {
  const fromEnv = process.env[spec.env];
  if (fromEnv) return { url: fromEnv };
  if (await answers('127.0.0.1', spec.port)) return { url: spec.localUrl };
  const engine = containerEngine();
  if (!engine) {
    return {
      skip: `no ${spec.env}, nothing on 127.0.0.1:${spec.port}, and no container engine (no DOCKER_HOST, no /var/run/docker.sock)`,
    };
  }
  try {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(spec.image)
      .withEnvironment(spec.containerEnv)
      .withExposedPorts(spec.port)
      .withWaitStrategy(Wait.forListeningPorts())
      .withStartupTimeout(120_000)
      .start();
    process.once('beforeExit', () => void container.stop());
    return { url: spec.urlFor(container.getHost(), container.getMappedPort(spec.port)) };
  } catch (error) {
    return { skip: `container engine at ${engine} could not start ${spec.image}: ${(error as Error).message}` };
  }
}

/** A reachable-looking container engine endpoint, decided without waiting on a network timeout. */
function containerEngine(): string | undefined {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  for (const socket of ['/var/run/docker.sock', `${process.env.HOME}/.docker/run/docker.sock`]) {
    if (existsSync(socket)) return socket;
  }
  return undefined;
}

function answers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
