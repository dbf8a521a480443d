import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../../gateway/outbox/group-commit.ts';

describe('GroupCommitter', () => {
  it('commits requests of one tick together and later ones in the next group', async () => {
    const groups: number[][] = [];
    let release: () => void = () => undefined;
    const committer = new GroupCommitter<number>(async (requests) => {
      groups.push(requests.map(({ value }) => value));
      if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      for (const request of requests) request.resolve();
    });
    const first = [committer.submit(1), committer.submit(2)];
    await Promise.resolve();
    await Promise.resolve();
    const second = [committer.submit(3), committer.submit(4), committer.submit(5)];
    release();
    await Promise.all([...first, ...second]);
    expect(groups).toEqual([[1, 2], [3, 4, 5]]);
    await committer.idle();
  });

  it('rejects a whole group if the commit function throws', async () => {
    const committer = new GroupCommitter<number>(async () => {
      throw new Error('boom');
    });
    const results = await Promise.allSettled([committer.submit(1), committer.submit(2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
