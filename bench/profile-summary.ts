/**
 * Where a server's time went, from a V8 CPU profile (`npm run bench -- --profile` writes them to
 * bench/profiles/): self time grouped by where the code lives (this repository's `src/`, each npm
 * package, Node internals, garbage collection, idle), then the heaviest functions.
 *
 *   node --import tsx bench/profile-summary.ts bench/profiles/CPU.….cpuprofile [--top 25] [--within NAME,…]
 *
 * `--within` adds, for each function name given, the share of busy time spent in it or in what it
 * called (inclusive time), e.g. `--within oauthGuard,findAccessToken`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, within: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length === 0) throw new Error('usage: profile-summary.ts FILE.cpuprofile [--top N]');

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'native / program';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const src = url.indexOf('/src/');
  if (src >= 0) return `oauth2-kit ${url.slice(src + 1).split('/').slice(0, 2).join('/')}`;
  if (url.includes('/bench/')) return 'bench harness';
  return url === '' ? 'native / V8 builtins' : url;
}

for (const file of positionals) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  });
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = area(url, functionName);
    byArea.set(where, (byArea.get(where) ?? 0) + time);
    const key = `${functionName || '(anonymous)'}  ${url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  }
  const idle = byArea.get('idle') ?? 0;
  const busy = total - idle;
  const pct = (time: number) => `${((time / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}\n  ${(total / 1e6).toFixed(1)} s sampled, ${((busy / total) * 100).toFixed(0)} % busy; shares of busy time:`);
  for (const [where, time] of [...byArea].filter(([w]) => w !== 'idle').sort((a, b) => b[1] - a[1])) {
    console.log(`  ${pct(time)}  ${where}`);
  }
  const within = values.within?.split(',').filter(Boolean) ?? [];
  if (within.length > 0) {
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const inclusive = new Map<string, number>(within.map((name) => [name, 0]));
    for (const [id, time] of self) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at)!.callFrame.functionName;
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, inclusive.get(name)! + time);
        }
      }
    }
    console.log('  inclusive time:');
    for (const [name, time] of inclusive) console.log(`  ${pct(time)}  ${name}`);
  }
  console.log('  heaviest functions (self time):');
  for (const [key, time] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    if (key.startsWith('(idle)')) continue;
    console.log(`  ${pct(time)}  ${key}`);
  }
}
