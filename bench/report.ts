/** The results table, for the terminal and for docs/benchmarks.md (Markdown). */
import { cpus, totalmem } from 'node:os';
import type { ResultRow } from './scenarios.js';

/** A ratio as a whole percentage: "87 %". */
export const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '–');

const HEADER = [
  'scenario',
  'server',
  'req/s',
  'vs Koa',
  'vs Koa, per repetition',
  'server CPU µs/req',
  'vs Koa (CPU)',
  'PostgreSQL CPU µs/req',
  'p50 ms',
  'p99 ms',
  'p99/p50',
  'errors',
  'Koa req/s',
  'Koa p99/p50',
];

/** "81–95 %": the lowest and highest per-repetition ratio; one figure when they agree. */
function ratioRange([low, high]: [number, number]): string {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return '–';
  const [a, b] = [percent(low), percent(high)];
  return a === b ? a : `${a.slice(0, -2)}–${b}`;
}

function cells(row: ResultRow): string[] {
  return [
    row.scenario,
    row.server,
    Math.round(row.rps).toString(),
    percent(row.ratio),
    ratioRange(row.ratioRange),
    Number.isFinite(row.cpuMicrosPerRequest) ? Math.round(row.cpuMicrosPerRequest).toString() : '–',
    Number.isFinite(row.cpuRatio) ? percent(row.cpuRatio) : '–',
    Number.isFinite(row.dbCpuMicrosPerRequest) ? Math.round(row.dbCpuMicrosPerRequest).toString() : '–',
    ms(row.p50),
    ms(row.p99),
    (row.p99 / row.p50).toFixed(1),
    `${row.errors}/${row.responses}`,
    Math.round(row.ceilingRps).toString(),
    (row.ceilingTail).toFixed(1),
  ];
}

/** A Markdown table: its first `labels` columns left-aligned (they name the row), the figures after them right-aligned. */
export function markdownGrid(header: readonly string[], rows: readonly string[][], labels: number): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < labels ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** A Markdown table with every row, then the scenarios' notes. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const lines = [markdownGrid(HEADER, rows.map(cells), 2)];
  const notes = rows.flatMap((row) => row.notes);
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

/** The machine and software the figures were taken on. */
export function machineDescription(): string {
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}, ${process.platform} ${process.arch}`,
  ].join('; ');
}
