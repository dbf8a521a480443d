// The few filesystem calls the file store makes, behind an interface so tests can
// inject failures such as ENOSPC at the exact call that would hit them.
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';

export interface WritableFile {
  /** May write fewer bytes than given, as write(2) may; returns how many. */
  write(data: Uint8Array): Promise<number>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxFs {
  mkdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  readFile(path: string): Promise<Buffer>;
  readRange(path: string, position: number, length: number): Promise<Buffer>;
  /** 'a': append, creating if absent; 'w': create or empty; 'wx': create, failing if present. */
  open(path: string, flags: 'a' | 'w' | 'wx'): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync of a directory, which makes creations, renames and deletions in it durable. */
  syncDir(dir: string): Promise<void>;
}

export const nodeFs: OutboxFs = {
  async mkdir(dir) {
    await mkdir(dir, { recursive: true });
  },
  readdir: (dir) => readdir(dir),
  readFile: (path) => readFile(path),
  async readRange(path, position, length) {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    } finally {
      await handle.close();
    }
  },
  async open(path, flags) {
    const handle = await open(path, flags);
    return {
      write: async (data) => (await handle.write(data)).bytesWritten,
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  async syncDir(dir) {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** write(2) may stop short; loop until everything is written or it fails. */
export async function writeFully(file: WritableFile, data: Uint8Array): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const written = await file.write(data.subarray(done));
    if (written <= 0) throw new Error('write made no progress');
    done += written;
  }
}
