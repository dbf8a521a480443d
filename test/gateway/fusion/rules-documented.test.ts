import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION_RULES } from '../../../gateway/fusion/index.ts';

// The README's table is what a bank's risk officer reads; it must say what the code does.
describe('fusion rules documentation', () => {
  it('lists every default rule with its state and description, in evaluation order', async () => {
    const readme = await readFile(new URL('../../../gateway/fusion/README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `[a-z-]+` \| (degraded|suspect|breached|verified) \|/.test(line));
    const documented = rows.map((row) => row.split('|').map((cell) => cell.trim()));
    expect(documented.map((cells) => cells[1])).toEqual([...DEFAULT_FUSION_RULES.map((r) => `\`${r.id}\``), '`all-clear`']);
    for (const rule of DEFAULT_FUSION_RULES) {
      const cells = documented.find((c) => c[1] === `\`${rule.id}\``);
      expect(cells?.[2]).toBe(rule.then);
      expect(cells?.[4]).toBe(rule.description);
    }
  });
});
