import { describe, expect, it } from 'vitest';
import { Dec } from '../../../cloud/valuation/decimal.ts';
import { canonicalUnit, conversionFactor } from '../../../cloud/valuation/units.ts';

function factor(from: string, to: string, density?: string): string {
  const result = conversionFactor(from, to, density === undefined ? undefined : new Dec(density));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.factor.toFixed();
}

describe('unit conversion', () => {
  it('converts mass units exactly', () => {
    expect(factor('kg', 't')).toBe('0.001');
    expect(factor('lb', 'kg')).toBe('0.45359237');
    // 1 t = 1000 / 0.45359237 lb = 2204.622621848775807229…
    expect(factor('t', 'lb').startsWith('2204.6226218487758072')).toBe(true);
    // 1 short ton = 2000 lb = 0.90718474 t
    expect(factor('short_ton', 't')).toBe('0.90718474');
    expect(factor('ozt', 'g')).toBe('31.1034768');
  });

  it('converts volume units exactly', () => {
    // 1 bbl = 42 US gal = 42 × 3.785411784 L = 158.987294928 L
    expect(factor('bbl', 'l')).toBe('158.987294928');
    expect(factor('bbl', 'gal')).toBe('42');
  });

  it('bridges mass and volume with a density, and refuses without one', () => {
    // 1000 m³ of diesel at 845 kg/m³ = 845 000 kg = 845 t, so the factor m³ → t is 0.845
    expect(factor('m3', 't', '845')).toBe('0.845');
    // 1 t at 845 kg/m³ = 1000/845 m³ = 1.18343195… m³ = 7.4434… bbl
    expect(factor('t', 'm3', '845').startsWith('1.18343195')).toBe(true);
    expect(conversionFactor('m3', 't')).toEqual({ ok: false, error: { code: 'density_required', from: 'm3', to: 't' } });
  });

  it('knows common spellings and refuses unknown units', () => {
    expect(canonicalUnit('MT')).toBe('t');
    expect(canonicalUnit('Tonnes')).toBe('t');
    expect(canonicalUnit('LBS')).toBe('lb');
    expect(canonicalUnit('barrel')).toBe('bbl');
    expect(canonicalUnit('bushel')).toBeUndefined();
    expect(conversionFactor('furlong', 't')).toEqual({ ok: false, error: { code: 'unknown_unit', unit: 'furlong' } });
  });
});
