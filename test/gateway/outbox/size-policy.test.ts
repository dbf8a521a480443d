import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, EvictionCandidate } from '../../../gateway/outbox/size-policy.ts';
import { planGroupAdmission } from '../../../gateway/outbox/size-policy.ts';
import type { Severity } from '../../../gateway/outbox/types.ts';

const limits = { maxBytes: 100, lowWaterBytes: 80 };

function candidates(...sizes: number[]): Iterator<EvictionCandidate> {
  return sizes.map((bytes, index) => ({ seq: index + 1, bytes }))[Symbol.iterator]();
}

describe('size policy', () => {
  it('admits what fits without evicting', () => {
    expect(planGroupAdmission([{ bytes: 10, severity: 'info' }], 90, candidates(10), limits)).toEqual({ accepted: [true], evict: [], evictBytes: 0 });
  });

  it('evicts oldest info down to the low-water mark', () => {
    const plan = planGroupAdmission([{ bytes: 10, severity: 'info' }], 95, candidates(10, 10, 10, 10), limits);
    expect(plan).toEqual({ accepted: [true], evict: [1, 2, 3], evictBytes: 30 });
  });

  it('rejects info and warning that cannot fit, evicting nothing for them', () => {
    const plan = planGroupAdmission(
      [
        { bytes: 50, severity: 'warning' },
        { bytes: 50, severity: 'info' },
      ],
      95,
      candidates(10),
      limits,
    );
    expect(plan).toEqual({ accepted: [false, false], evict: [], evictBytes: 0 });
  });

  it('always admits critical, over the bound if need be', () => {
    const plan = planGroupAdmission([{ bytes: 50, severity: 'critical' }], 95, candidates(10), limits);
    expect(plan).toEqual({ accepted: [true], evict: [1], evictBytes: 10 });
  });

  it('lets later requests in a group see earlier ones', () => {
    const plan = planGroupAdmission(
      [
        { bytes: 30, severity: 'info' },
        { bytes: 30, severity: 'info' },
      ],
      50,
      candidates(20, 20, 20),
      limits,
    );
    expect(plan.accepted).toEqual([true, true]);
    expect(plan.evict).toEqual([1, 2]);
  });

  it('holds its invariants for any input', () => {
    const severity = fc.constantFrom<Severity>('info', 'warning', 'critical');
    fc.assert(
      fc.property(
        fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 60 }), severity }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 10 }),
        fc.integer({ min: 0, max: 100 }),
        (requests: AdmissionRequest[], sizes, extra) => {
          // Pending bytes hold at least the evictable candidates, and start within the bound.
          const available = sizes.reduce((sum, bytes) => sum + bytes, 0);
          const pending = Math.min(limits.maxBytes, available + extra);
          if (available > pending) return;
          const plan = planGroupAdmission(requests, pending, candidates(...sizes), limits);
          // Oldest first: the evicted are a prefix of the candidates.
          expect(plan.evict).toEqual(sizes.slice(0, plan.evict.length).map((_, index) => index + 1));
          expect(plan.evictBytes).toBe(sizes.slice(0, plan.evict.length).reduce((sum, bytes) => sum + bytes, 0));
          // Critical is always written.
          requests.forEach((request, index) => {
            if (request.severity === 'critical') expect(plan.accepted[index]).toBe(true);
          });
          const admitted = requests.reduce((sum, request, index) => sum + (plan.accepted[index] === true ? request.bytes : 0), 0);
          // Without critical records the bound holds.
          if (requests.every((request) => request.severity !== 'critical')) {
            expect(pending - plan.evictBytes + admitted).toBeLessThanOrEqual(limits.maxBytes);
          }
          // Nothing is evicted when everything fits.
          if (pending + requests.reduce((sum, request) => sum + request.bytes, 0) <= limits.maxBytes) {
            expect(plan.evict).toEqual([]);
          }
        },
      ),
    );
  });
});
