import { describe, expect, it } from 'vitest';
import { COMMODITY_CLASSES, classOfCommodity, resolveAdvanceRate } from '../../../cloud/valuation/commodity-classes.ts';

describe('commodity classes', () => {
  it('classifies common commodity codes', () => {
    expect(classOfCommodity('Copper')).toBe('base_metals');
    expect(classOfCommodity('aluminum')).toBe('base_metals');
    expect(classOfCommodity('corn')).toBe('agricultural_bulk');
    expect(classOfCommodity('crude oil')).toBe('fuels');
    expect(classOfCommodity('gold')).toBe('precious_metals');
    expect(classOfCommodity('cocoa')).toBe('softs');
    expect(classOfCommodity('widgets')).toBe('other');
  });

  it('has defaults inside each range', () => {
    for (const c of Object.values(COMMODITY_CLASSES)) {
      const { min, max } = c.advanceRate;
      expect(Number(min) <= Number(c.advanceRate.default) && Number(c.advanceRate.default) <= Number(max), c.id).toBe(true);
    }
    expect(COMMODITY_CLASSES.base_metals.advanceRate).toEqual({ min: '0.60', max: '0.80', default: '0.70' });
  });

  it('accepts facility advance rates only within the class range', () => {
    expect(resolveAdvanceRate('base_metals')).toEqual({ ok: true, advanceRate: '0.70', source: 'class-default' });
    expect(resolveAdvanceRate('base_metals', '0.75')).toEqual({ ok: true, advanceRate: '0.75', source: 'facility' });
    expect(resolveAdvanceRate('base_metals', '0.80')).toMatchObject({ ok: true });
    expect(resolveAdvanceRate('base_metals', '0.81')).toMatchObject({ ok: false, error: { code: 'outside_class_range' } });
    expect(resolveAdvanceRate('fuels', '0.49')).toMatchObject({ ok: false });
  });
});
