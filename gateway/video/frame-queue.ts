/**
 * Frames waiting for one camera. A camera that sends faster than it can be analysed
 * loses its oldest waiting frames, never the newest: tamper and change are about now.
 */
export function createFrameQueue<T>(capacity: number) {
  const items: T[] = [];
  return {
    /** Queues `item`; returns the frame skipped to make room, if any. */
    offer(item: T): T | undefined {
      items.push(item);
      return items.length > capacity ? items.shift() : undefined;
    },
    take: (): T | undefined => items.shift(),
    get length() {
      return items.length;
    },
    clear(): number {
      const n = items.length;
      items.length = 0;
      return n;
    },
  };
}
