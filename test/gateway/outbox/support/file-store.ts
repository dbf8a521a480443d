// Opening file stores on a test directory, and reading what is on disk.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileOutboxStoreOptions } from '../../../../gateway/outbox/file-outbox-store.ts';
import { FileOutboxStore } from '../../../../gateway/outbox/file-outbox-store.ts';
import type { TestEvent } from './events.ts';
import { seqsOf } from './events.ts';

export async function openFileStore(dir: string, options: Partial<FileOutboxStoreOptions> = {}): Promise<FileOutboxStore<TestEvent>> {
  const store = new FileOutboxStore<TestEvent>({ dir, ...options });
  await store.open();
  return store;
}

export async function pendingSeqs(store: FileOutboxStore<TestEvent>): Promise<number[]> {
  return seqsOf(await store.peek(10_000_000, Number.MAX_SAFE_INTEGER));
}

export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

export { join };
