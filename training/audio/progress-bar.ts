/** One progress line on stderr, redrawn in place: people watch it, nothing parses it. */
export function progressBar(label: string, done: number, total: number, extra = ''): void {
  const width = 30;
  const filled = Math.round((width * done) / Math.max(1, total));
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}   `);
  if (done >= total) process.stderr.write('\n');
}
