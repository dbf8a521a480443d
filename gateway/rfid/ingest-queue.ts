/**
 * FIFO of raw payloads bounded by bytes, not by count: a reader flushing its buffer after
 * an outage sends a few messages of megabytes, a busy portal thousands of small ones.
 * Offering beyond the bound is refused (the caller counts the drop); nothing is evicted
 * silently.
 */
export interface ByteBoundedQueue<T> {
  offer(item: T, bytes: number): boolean;
  peek(): T | undefined;
  take(): T | undefined;
  readonly length: number;
  readonly bytes: number;
  clear(): number;
}

export function createByteBoundedQueue<T>(maxBytes: number): ByteBoundedQueue<T> {
  // Taken slots are cleared so their payloads can be collected before the next compaction.
  let items: ({ item: T; bytes: number } | undefined)[] = [];
  let head = 0;
  let bytes = 0;
  return {
    offer(item, size) {
      // An empty queue takes any one item, so a payload larger than the bound is not starved forever.
      if (bytes + size > maxBytes && items.length > head) return false;
      items.push({ item, bytes: size });
      bytes += size;
      return true;
    },
    peek: () => items[head]?.item,
    take() {
      const entry = items[head];
      if (entry === undefined) return undefined;
      items[head] = undefined;
      head += 1;
      bytes -= entry.bytes;
      // Compact now and then instead of shifting on every take (Array#shift is O(n)).
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      return entry.item;
    },
    get length() {
      return items.length - head;
    },
    get bytes() {
      return bytes;
    },
    clear() {
      const n = items.length - head;
      items = [];
      head = 0;
      bytes = 0;
      return n;
    },
  };
}
