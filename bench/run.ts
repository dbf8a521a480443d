/**
 * Runs every benchmark (`bench/**\/*.bench.ts`), each in its own process so one's heap
 * and event loop do not disturb the next, and prints their JSON summaries. Each bench
 * measures its own baseline in the same run and reports a ratio, so figures compare
 * across machines. BENCH_SCALE=small runs a reduced size (CI); a name filter may follow.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const filter = process.argv[2];

function findBenches(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findBenches(path);
    return name.endsWith('.bench.ts') ? [path] : [];
  });
}

const benches = findBenches(root).sort().filter((p) => !filter || p.includes(filter));
let failed = 0;
for (const bench of benches) {
  const name = relative(root, bench);
  process.stderr.write(`\n=== ${name} (scale: ${process.env.BENCH_SCALE ?? 'full'}) ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench], { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`${name} FAILED (exit ${result.status}) after ${seconds} s\n`);
  } else {
    process.stderr.write(`${name} done in ${seconds} s\n`);
  }
}
process.stderr.write(`\n${benches.length - failed} benchmarks ran, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
