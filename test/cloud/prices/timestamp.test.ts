import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../cloud/prices/timestamp.ts';

describe('ISO 8601 instants in price files', () => {
  it('accepts UTC, offsets with and without colon, fractions and bare dates', () => {
    expect(parseIsoInstant('2024-03-01T16:00:00Z')?.toISOString()).toBe('2024-03-01T16:00:00.000Z');
    expect(parseIsoInstant('2024-03-01T16:00:00.123456+02:00')?.toISOString()).toBe('2024-03-01T14:00:00.123Z');
    expect(parseIsoInstant('2024-03-01 16:00:00-0530')?.toISOString()).toBe('2024-03-01T21:30:00.000Z');
    expect(parseIsoInstant('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('rejects local times, impossible dates and other formats', () => {
    for (const text of ['2024-03-01T16:00:00', '2023-02-29', '2024-04-31', '2024-03-01T24:00:00Z', '01/03/2024', '1709308800', '2024-03-01T16:00Z', '']) {
      expect(parseIsoInstant(text), text).toBeUndefined();
    }
  });
});
