/**
 * How big a benchmark runs: BENCH_SCALE unset means full size, `small` is the CI size
 * (a few percent: enough to exercise every path and print a ratio, not to be quotable),
 * and a number in (0, 1] scales directly.
 */
export function benchScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_SCALE;
  if (raw === undefined || raw === '' || raw === 'full') return 1;
  if (raw === 'small') return 0.02;
  const value = Number(raw);
  if (!(value > 0 && value <= 1)) throw new RangeError(`BENCH_SCALE must be "small", "full" or a number in (0, 1], got ${raw}`);
  return value;
}
