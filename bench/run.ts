/**
 * Runs every benchmark (`bench/**\/*.bench.ts`), each in its own process so one's heap
 * and event loop do not disturb the next, then prints one table of their figures (each
 * against the reference it measured in the same run, its target, met or short) and
 * writes it to bench/results.json. BENCH_SCALE=small runs a reduced size (CI); a name
 * filter may follow.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { benchFigures, benchTable, type BenchFigure } from './bench-figures.ts';

const root = new URL('.', import.meta.url).pathname;
const filter = process.argv[2];

function findBenches(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findBenches(path);
    return name.endsWith('.bench.ts') ? [path] : [];
  });
}

/** Runs one bench, passing its output through, and returns the JSON summary lines it printed. */
function runBench(path: string): Promise<{ status: number | null; summaries: Record<string, unknown>[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    const summaries: Record<string, unknown>[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as unknown;
        if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { bench?: unknown }).bench === 'string') summaries.push(parsed as Record<string, unknown>);
      } catch {
        // not a summary line
      }
    });
    child.on('close', (status) => resolve({ status, summaries }));
  });
}

const benches = findBenches(root).sort().filter((p) => !filter || p.includes(filter));
const scale = process.env.BENCH_SCALE ?? 'full';
const figures: BenchFigure[] = [];
const runs: Array<{ bench: string; seconds: number; ok: boolean }> = [];
let failed = 0;
for (const [i, bench] of benches.entries()) {
  const name = relative(root, bench);
  process.stderr.write(`\n=== [${i + 1}/${benches.length}] ${name} (scale: ${scale}) ===\n`);
  const started = Date.now();
  const { status, summaries } = await runBench(bench);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  runs.push({ bench: name, seconds, ok: status === 0 });
  for (const summary of summaries) figures.push(...benchFigures(summary));
  if (status !== 0) {
    failed += 1;
    process.stderr.write(`${name} FAILED (exit ${status}) after ${seconds} s\n`);
  } else {
    process.stderr.write(`${name} done in ${seconds} s\n`);
  }
}
process.stdout.write(`\n${benchTable(figures)}\n`);
process.stderr.write(`\n${benches.length - failed} benchmarks ran, ${failed} failed\n`);
await writeFile(new URL('results.json', import.meta.url), `${JSON.stringify({ generatedAt: new Date().toISOString(), scale, figures, runs }, null, 2)}\n`);
process.exit(failed > 0 ? 1 : 0);
