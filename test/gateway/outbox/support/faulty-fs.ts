// The real filesystem with switchable failures, to simulate a full disk at the
// exact call that would hit it.
import type { OutboxFs, WritableFile } from '../../../../gateway/outbox/fs-layer.ts';
import { nodeFs } from '../../../../gateway/outbox/fs-layer.ts';

export class FaultyFs implements OutboxFs {
  /** While set, writes fail with ENOSPC after writing this many more bytes (a partial write). */
  diskFullAfterBytes: number | null = null;
  /** While set, creating files fails with ENOSPC. */
  noInodes = false;

  mkdir = nodeFs.mkdir;
  readdir = nodeFs.readdir;
  readFile = nodeFs.readFile;
  readRange = nodeFs.readRange;
  rename = nodeFs.rename;
  unlink = nodeFs.unlink;
  syncDir = nodeFs.syncDir;

  async open(path: string, flags: 'a' | 'w' | 'wx'): Promise<WritableFile> {
    if (this.noInodes && flags !== 'a') throw enospc('open');
    const file = await nodeFs.open(path, flags);
    return {
      write: async (data) => {
        if (this.diskFullAfterBytes === null) return file.write(data);
        if (this.diskFullAfterBytes === 0) throw enospc('write');
        const allowed = Math.min(this.diskFullAfterBytes, data.length);
        this.diskFullAfterBytes -= allowed;
        return file.write(data.subarray(0, allowed));
      },
      sync: () => file.sync(),
      truncate: (length) => file.truncate(length),
      close: () => file.close(),
    };
  }
}

function enospc(syscall: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`ENOSPC: no space left on device, ${syscall}`);
  error.code = 'ENOSPC';
  error.errno = -28;
  error.syscall = syscall;
  return error;
}
