import { FileOutboxStore } from '../../../gateway/outbox/file-outbox-store.ts';
import type { TestEvent } from './support/events.ts';
import { makeTempDir } from './support/temp-dir.ts';
import { describeOutboxStoreContract } from './store-contract.ts';

describeOutboxStoreContract('FileOutboxStore', true, async () => {
  let temp = await makeTempDir();
  return {
    async open(options) {
      // A fresh directory per open keeps size-bound tests independent of earlier records.
      await temp.remove();
      temp = await makeTempDir();
      const store = new FileOutboxStore<TestEvent>({ dir: temp.dir, segmentBytes: 4096, ...options });
      await store.open();
      return store;
    },
    async reopen(store, options) {
      await store.close();
      const reopened = new FileOutboxStore<TestEvent>({ dir: temp.dir, segmentBytes: 4096, ...options });
      await reopened.open();
      return reopened;
    },
    cleanup: () => temp.remove(),
  };
});
