import { MemoryOutboxStore } from '../../../gateway/outbox/memory-outbox-store.ts';
import type { TestEvent } from './support/events.ts';
import { describeOutboxStoreContract } from './store-contract.ts';

describeOutboxStoreContract('MemoryOutboxStore', false, async () => ({
  async open(options) {
    const store = new MemoryOutboxStore<TestEvent>(options);
    await store.open();
    return store;
  },
  async reopen(store, options) {
    // Nothing survives a memory store; a fresh one stands in where a test only needs new options.
    await store.close();
    const fresh = new MemoryOutboxStore<TestEvent>(options);
    await fresh.open();
    return fresh;
  },
  cleanup: async () => undefined,
}));
