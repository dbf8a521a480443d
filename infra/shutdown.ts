import type { Logger } from './logger.ts';

/** How long a clean stop may take before the process exits anyway. */
export const SHUTDOWN_DEADLINE_MS = 20_000;

/**
 * Stops the process cleanly on Ctrl-C or SIGTERM: runs `stop` once, then exits. A stop
 * that hangs (a broker or database gone away while we wait on it) is cut at the
 * deadline, logged, with exit code 1: a supervisor's stop must not take minutes. A
 * second signal while stopping exits at once, for an operator who will not wait.
 */
export function onShutdownSignal(log: Logger, stop: () => Promise<void>, deadlineMs = SHUTDOWN_DEADLINE_MS): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal, deadlineMs }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error({ signal, deadlineMs }, 'shutdown did not finish in time: exiting without it');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
