import { describe, expect, it } from 'vitest';
import { combinedBacklog, createByteBacklog } from '../../../gateway/pipeline/backlog.ts';

/** A queue measured in bytes, with its backlog at `pauseBytes`. */
function queue(pauseBytes: number) {
  let bytes = 0;
  const backlog = createByteBacklog(() => bytes, pauseBytes);
  return {
    backlog,
    set(n: number) {
      bytes = n;
      backlog.drained();
    },
  };
}

describe('flow control between the MQTT session and the stages', () => {
  it('resumes at once below the mark, and otherwise once the queue is below half of it', () => {
    const q = queue(100);
    const resumed: string[] = [];
    q.set(99);
    q.backlog.whenEased(() => resumed.push('below'));
    expect(resumed).toEqual(['below']);
    q.set(100);
    expect(q.backlog.full()).toBe(true);
    q.backlog.whenEased(() => resumed.push('a'));
    q.backlog.whenEased(() => resumed.push('b'));
    q.set(60);
    expect(q.backlog.full()).toBe(false);
    expect(resumed).toEqual(['below']);
    q.set(50);
    expect(resumed).toEqual(['below']);
    q.set(49);
    expect(resumed).toEqual(['below', 'a', 'b']);
    // Each waiter is called once.
    q.set(0);
    expect(resumed).toEqual(['below', 'a', 'b']);
  });

  it('holds the pipeline while any stage is full, and resumes once all have eased', () => {
    const rfid = queue(100);
    const video = queue(10);
    const pipeline = combinedBacklog([rfid.backlog, video.backlog]);
    expect(pipeline.full()).toBe(false);
    rfid.set(150);
    video.set(20);
    expect(pipeline.full()).toBe(true);
    let resumed = 0;
    pipeline.whenEased(() => (resumed += 1));
    rfid.set(10);
    expect(resumed).toBe(0);
    // The video queue was full when the RFID one eased; the pipeline waits on it in turn.
    video.set(4);
    expect(resumed).toBe(1);
    video.set(0);
    expect(resumed).toBe(1);
  });

  it('lets every waiter go on release, full or not', () => {
    const q = queue(10);
    q.set(50);
    let resumed = 0;
    q.backlog.whenEased(() => (resumed += 1));
    q.backlog.release();
    expect(resumed).toBe(1);
    expect(combinedBacklog([]).full()).toBe(false);
  });
});
