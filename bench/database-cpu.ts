/**
 * CPU time PostgreSQL spends for one scratch database: the sum of user and system time of the
 * server processes connected to it, read from /proc. Only meaningful when PostgreSQL runs on this
 * machine (it shares the cores with the server under test and the load generator, which is exactly
 * why it is worth measuring); elsewhere the figures are NaN.
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { serverUrl } from './scratch-database.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Per-backend CPU, so that an interval counts backends that came and went. */
export type CpuByBackend = Map<number, number>;

async function cpuOfProcess(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
  } catch {
    return undefined;
  }
}

export class DatabaseCpu {
  readonly #client = new pg.Client({ connectionString: serverUrl });
  readonly #local = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(serverUrl).hostname);

  #open = false;

  async open(): Promise<void> {
    await this.#client.connect();
    this.#open = true;
  }

  async close(): Promise<void> {
    if (this.#open) await this.#client.end();
    this.#open = false;
  }

  /** CPU so far of every backend connected to `database`, µs. */
  async sample(database: string): Promise<CpuByBackend> {
    const byBackend: CpuByBackend = new Map();
    if (!this.#local) return byBackend;
    const { rows } = await this.#client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    for (const { pid } of rows) {
      const cpu = await cpuOfProcess(pid);
      if (cpu !== undefined) byBackend.set(pid, cpu);
    }
    return byBackend;
  }

  /** CPU used between two samples, µs (NaN when PostgreSQL is not local). */
  used(before: CpuByBackend, after: CpuByBackend): number {
    if (!this.#local) return Number.NaN;
    let total = 0;
    for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
    return total;
  }
}
