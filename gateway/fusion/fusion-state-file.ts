import type { Logger } from '../../infra/logger.ts';
import { readJsonFile, writeFileAtomically } from '../../infra/durable-file.ts';
import { checkFusionSnapshot, type FusionSnapshot } from './fusion-snapshot.ts';

/** Where fusion keeps its snapshot across restarts; create-fusion.ts only sees this. */
export interface FusionStateStore {
  /** The snapshot saved before this start, when there is a valid one. */
  readonly initial: FusionSnapshot | undefined;
  /** Keeps the serialised snapshot; a newer one replaces an older one not yet written. */
  save(text: string): void;
  /** Resolves once everything saved so far is on disk (or failed and was logged). */
  flush(): Promise<void>;
}

/**
 * The snapshot in one JSON file, replaced atomically. Writes run one at a time and only
 * the latest waiting snapshot is written, so a slow disk costs staleness, not a queue.
 * A missing file is a first start; an unreadable one is logged and ignored.
 */
export async function openFusionStateFile(path: string, log: Logger): Promise<FusionStateStore> {
  const read = await readJsonFile(path, checkFusionSnapshot);
  if (!read.ok && !read.missing) log.warn({ error: read.error }, 'fusion state file ignored: lots start from the evidence that arrives');
  let pending: string | undefined;
  let writing: Promise<void> | undefined;

  async function writeAll(): Promise<void> {
    while (pending !== undefined) {
      const text = pending;
      pending = undefined;
      try {
        await writeFileAtomically(path, text);
      } catch (error) {
        log.warn({ err: error, path }, 'fusion state could not be saved; the next change tries again');
      }
    }
  }

  function start(): void {
    writing = writeAll().finally(() => {
      writing = undefined;
      // Saved between the loop's last check and here.
      if (pending !== undefined) start();
    });
  }

  return {
    initial: read.ok ? read.value : undefined,
    save(text) {
      pending = text;
      if (writing === undefined) start();
    },
    async flush() {
      while (writing !== undefined) await writing;
    },
  };
}
