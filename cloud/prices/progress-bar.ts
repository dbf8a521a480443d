// A one-line progress bar for a terminal: redrawn in place with \r on a TTY, and as a
// plain line every tenth of the way otherwise (a CI log or a file), so a large import
// shows it is alive without flooding the log.
export interface ProgressBar {
  update(done: number, total: number | undefined, label: string): void;
  finish(label: string): void;
}

const WIDTH = 30;

export function createProgressBar(stream: NodeJS.WriteStream): ProgressBar {
  let lastTenth = -1;
  const line = (done: number, total: number | undefined, label: string): string => {
    if (total === undefined || total <= 0) return `${label}`;
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${label}`;
  };
  return {
    update(done, total, label) {
      if (stream.isTTY) {
        stream.write(`\r${line(done, total, label)}\u001b[K`);
        return;
      }
      const tenth = total ? Math.floor((10 * done) / total) : -1;
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${line(done, total, label)}\n`);
      }
    },
    finish(label) {
      stream.write(stream.isTTY ? `\r${label}\u001b[K\n` : `${label}\n`);
    },
  };
}
