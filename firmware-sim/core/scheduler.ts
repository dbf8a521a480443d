/**
 * A min-heap of timed tasks. Ties run in insertion order, which is what makes a run
 * reproducible: the same seed schedules the same tasks in the same order.
 */
export interface Task {
  at: number;
  run: (at: number) => void;
}

interface Entry extends Task {
  seq: number;
}

export class Scheduler {
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(at: number, run: (at: number) => void): void {
    const entry: Entry = { at, run, seq: this.seq++ };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Removes and returns the earliest task due at or before `until`. */
  popDue(until: number): Entry | undefined {
    const top = this.heap[0];
    if (!top || top.at > until) return undefined;
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i] as Entry;
    const b = this.heap[j] as Entry;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i] as Entry;
    this.heap[i] = this.heap[j] as Entry;
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
