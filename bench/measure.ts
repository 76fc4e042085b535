/**
 * How a figure is taken: the subject and the bare Koa ceiling measured in alternation (ceiling,
 * subject, ceiling, subject, …) after a warm-up, so that whatever else the shared machine is doing
 * weighs on both alike; each figure is the median over the repetitions, and each ratio the median of
 * the per-repetition ratios.
 */
import { median, runLoad, type LoadSample, type RequestSource } from './load.js';
import type { DatabaseCpu } from './database-cpu.js';
import type { ServerProcess } from './server-process.js';

/** Measurement settings of one run. */
export interface MeasureSettings {
  connections: number;
  /** Seconds per measured interval. */
  seconds: number;
  /** Seconds of warm-up load before measuring a freshly started server. */
  warmupSeconds: number;
  repetitions: number;
  /** Reads PostgreSQL's CPU per scratch database, when it runs on this machine. */
  databaseCpu?: DatabaseCpu;
}

/** The medians of a series of samples. */
export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  responses: number;
  /** Server CPU per request, µs (all its processes). */
  cpuMicrosPerRequest: number;
  /** PostgreSQL CPU per request, µs (its backends for this database). */
  dbCpuMicrosPerRequest: number;
  samples: LoadSample[];
}

export function figuresOf(samples: LoadSample[]): Figures {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    responses: samples.reduce((sum, s) => sum + s.responses, 0),
    cpuMicrosPerRequest: median(samples.map((s) => s.cpuMicrosPerRequest)),
    dbCpuMicrosPerRequest: median(samples.map((s) => s.dbCpuMicrosPerRequest)),
    samples,
  };
}

/** A subject measured against the ceiling. */
export interface PairedFigures {
  subject: Figures;
  ceiling: Figures;
  /** Median of subject/ceiling throughput, repetition by repetition. */
  ratio: number;
  /** The per-repetition ratios the median was taken of, in order: how much the machine moved. */
  ratios: number[];
  /** Median of ceiling/subject server CPU per request: the throughput ratio were the server's core its own. */
  cpuRatio: number;
}

/** One interval of load, with the server's CPU time per request over it. */
export async function load(
  settings: MeasureSettings,
  server: ServerProcess,
  source: RequestSource,
  seconds = settings.seconds,
): Promise<LoadSample> {
  const { databaseCpu } = settings;
  const database = server.database;
  const dbBefore = databaseCpu && database ? await databaseCpu.sample(database) : undefined;
  const before = await server.cpu();
  const sample = await runLoad({ port: server.port, connections: settings.connections, seconds, source });
  const after = await server.cpu();
  const dbAfter = databaseCpu && database ? await databaseCpu.sample(database) : undefined;
  const requests = after.requests - before.requests;
  const perRequest = (micros: number) => (requests > 0 ? micros / requests : Number.NaN);
  return {
    ...sample,
    cpuMicrosPerRequest: perRequest(after.cpuMicros - before.cpuMicros),
    dbCpuMicrosPerRequest: dbBefore && dbAfter ? perRequest(databaseCpu!.used(dbBefore, dbAfter)) : Number.NaN,
  };
}

export async function warmUp(settings: MeasureSettings, server: ServerProcess, source: RequestSource): Promise<void> {
  if (settings.warmupSeconds > 0) await load(settings, server, source, settings.warmupSeconds);
}

/** A server and what to send it. */
export interface LoadSubject {
  server: ServerProcess;
  source: RequestSource;
}

/** Samples of the ceiling and of each subject, repetition by repetition. */
export interface AlternatingSamples {
  ceiling: LoadSample[];
  /** One series per subject, in the subjects' order. */
  subjects: LoadSample[][];
}

/**
 * Measures `subjects` against `ceiling` in turn (ceiling, then each subject), `settings.repetitions`
 * times, after warming each subject up: the samples taken within one repetition saw the same phase
 * of the machine. The subjects' order rotates from one repetition to the next (A B, B A, …), so
 * that none is always the one measured right after the ceiling, or longest after its own last turn.
 */
export async function measureAlternating(settings: MeasureSettings, ceiling: LoadSubject, subjects: readonly LoadSubject[]): Promise<AlternatingSamples> {
  for (const subject of subjects) await warmUp(settings, subject.server, subject.source);
  const ceilingSamples: LoadSample[] = [];
  const subjectSamples: LoadSample[][] = subjects.map(() => []);
  for (let i = 0; i < settings.repetitions; i++) {
    ceilingSamples.push(await load(settings, ceiling.server, ceiling.source));
    for (let turn = 0; turn < subjects.length; turn++) {
      const k = (turn + i) % subjects.length;
      const subject = subjects[k]!;
      subjectSamples[k]!.push(await load(settings, subject.server, subject.source));
    }
  }
  return { ceiling: ceilingSamples, subjects: subjectSamples };
}

/** A subject's figures against the ceiling's, from samples taken in alternation. */
export function pairedFigures(ceilingSamples: LoadSample[], subjectSamples: LoadSample[]): PairedFigures {
  const ratios = subjectSamples.map((s, i) => s.rps / ceilingSamples[i]!.rps);
  return {
    subject: figuresOf(subjectSamples),
    ceiling: figuresOf(ceilingSamples),
    ratio: median(ratios),
    ratios,
    cpuRatio: median(subjectSamples.map((s, i) => ceilingSamples[i]!.cpuMicrosPerRequest / s.cpuMicrosPerRequest)),
  };
}

/** Measures `subject` against `ceiling`, alternating, `settings.repetitions` times. */
export async function measurePaired(settings: MeasureSettings, ceiling: LoadSubject, subject: LoadSubject): Promise<PairedFigures> {
  const samples = await measureAlternating(settings, ceiling, [subject]);
  return pairedFigures(samples.ceiling, samples.subjects[0]!);
}
