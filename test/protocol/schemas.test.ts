import { describe, expect, it } from 'vitest';
import {
  compileSchema,
  CompactRead,
  DeviceStatus,
  GatewayStatus,
  ImpinjEvent,
  ImpinjTagInventory,
  parseJsonPayload,
  SensorReading,
  UnsealedEvent,
  VerificationEvent,
  ZebraEvent,
} from '../../protocol/index.ts';
import * as f from './fixtures.ts';

const impinj = compileSchema(ImpinjEvent);
const zebra = compileSchema(ZebraEvent);
const compact = compileSchema(CompactRead);

function errorOf<T>(result: { ok: true; value: T } | { ok: false; error: string }): string {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('Impinj IoT device interface', () => {
  it('accepts tag inventory with base64 epc and epcHex, base64 only, and hex only without eventType', () => {
    expect(impinj(f.impinjTagInventory).ok).toBe(true);
    expect(impinj(f.impinjBase64Only).ok).toBe(true);
    expect(impinj(f.impinjHexOnlyNoEventType).ok).toBe(true);
  });

  it('accepts the health events', () => {
    for (const e of [f.impinjAntennaConnected, f.impinjAntennaDisconnected, f.impinjInventoryStatus, f.impinjOverflow]) {
      expect(impinj(e).ok, JSON.stringify(e)).toBe(true);
    }
  });

  it('keeps unknown fields from newer firmware', () => {
    const r = compileSchema(ImpinjTagInventory)({ ...f.impinjTagInventory, newField: 1, tagInventoryEvent: { ...f.impinjTagInventory.tagInventoryEvent, xpcHex: '0000' } });
    expect(r.ok).toBe(true);
  });

  it('is strict on the fields a read uses', () => {
    const tag = f.impinjTagInventory.tagInventoryEvent;
    const check = compileSchema(ImpinjTagInventory);
    expect(errorOf(check({ ...f.impinjTagInventory, tagInventoryEvent: { ...tag, antennaPort: '1' } }))).toContain('/tagInventoryEvent/antennaPort');
    expect(errorOf(check({ ...f.impinjTagInventory, tagInventoryEvent: { ...tag, peakRssiCdbm: -58.5 } }))).toContain('peakRssiCdbm');
    expect(errorOf(check({ ...f.impinjTagInventory, tagInventoryEvent: { ...tag, epc: 'not base64!' } }))).toContain('/tagInventoryEvent/epc');
    expect(errorOf(check({ ...f.impinjTagInventory, tagInventoryEvent: { ...tag, epcHex: 'XYZ' } }))).toContain('epcHex');
    expect(errorOf(check({ ...f.impinjTagInventory, eventType: 'antennaConnected' }))).toContain('/eventType');
    expect(errorOf(check({ ...f.impinjTagInventory, timestamp: '2021-03-04 21:40:31' }))).toContain('/timestamp');
  });
});

describe('Zebra IoT Connector', () => {
  it('accepts SIMPLE and PORTAL data events with +0000-style offsets', () => {
    expect(zebra(f.zebraSimple).ok).toBe(true);
    expect(zebra(f.zebraPortal).ok).toBe(true);
  });

  it('accepts each documented data event type', () => {
    for (const type of ['SIMPLE', 'INVENTORY', 'PORTAL', 'CONVEYOR', 'CUSTOM', 'DIRECTIONALITY']) {
      expect(zebra({ ...f.zebraSimple, type }).ok, type).toBe(true);
    }
  });

  it('rejects unknown types and reads without antenna or RSSI', () => {
    expect(errorOf(zebra({ ...f.zebraSimple, type: 'heartbeat' }))).toContain('/type');
    const { antenna: _a, ...noAntenna } = f.zebraSimple.data;
    expect(errorOf(zebra({ ...f.zebraSimple, data: noAntenna }))).toContain('antenna');
    expect(errorOf(zebra({ ...f.zebraSimple, data: { ...f.zebraSimple.data, peakRssi: '-52' } }))).toContain('/data/peakRssi');
  });
});

describe('compact read', () => {
  it('accepts the contract form, with or without ts', () => {
    expect(compact(f.compactRead).ok).toBe(true);
    const { ts: _ts, ...noTs } = f.compactRead;
    expect(compact(noTs).ok).toBe(true);
  });

  it('requires integer antenna and numeric rssi', () => {
    expect(errorOf(compact({ ...f.compactRead, antenna: 1.5 }))).toContain('/antenna');
    expect(errorOf(compact({ ...f.compactRead, rssi: null }))).toContain('/rssi');
    expect(errorOf(compact({ antenna: 1, rssi: -50 }))).toContain('epc');
  });
});

describe('sensor, device and gateway status', () => {
  it('accepts a sensor reading and keeps extra fields', () => {
    const r = parseJsonPayload(SensorReading, '{"kind":"weight","value":1234.5,"unit":"kg","ts":"2024-01-01T00:00:00Z","battery":93}');
    expect(r).toEqual({ ok: true, value: { kind: 'weight', value: 1234.5, unit: 'kg', ts: '2024-01-01T00:00:00Z', battery: 93 } });
  });

  it('rejects a sensor reading without a numeric value', () => {
    expect(errorOf(parseJsonPayload(SensorReading, '{"kind":"weight","value":"12","unit":"kg"}'))).toContain('/value');
  });

  it('accepts online/offline device status with optional ts and extra fields', () => {
    expect(parseJsonPayload(DeviceStatus, '{"state":"offline"}').ok).toBe(true);
    expect(parseJsonPayload(DeviceStatus, '{"state":"online","ts":"2024-01-01T00:00:00+01:00","fw":"1.2"}').ok).toBe(true);
    expect(errorOf(parseJsonPayload(DeviceStatus, '{"state":"sleeping"}'))).toBe('/state: must be one of "online", "offline"');
  });

  it('checks gateway status', () => {
    expect(compileSchema(GatewayStatus)({ state: 'online', version: '0.1.0', ts: '2024-01-01T00:00:00.000Z' }).ok).toBe(true);
    expect(compileSchema(GatewayStatus)({ state: 'online', ts: '2024-01-01T00:00:00.000Z' }).ok).toBe(false);
  });
});

describe('verification event', () => {
  const unsealed = {
    id: '6f1c1f5e-2b7a-4e0f-9a53-0d8f7f0b9a11',
    site: 's1',
    gatewayId: 'gw-s1',
    seq: 42,
    ts: '2024-01-01T00:00:00.000Z',
    type: 'tags.missing',
    severity: 'warning',
    lotId: 'LOT-1',
    zone: 'A',
    evidence: { missing: [{ epc: '3074257BF7194E4000001A85', uri: 'urn:epc:id:sgtin:0614141.812345.6789' }] },
  };
  const sealed = { ...unsealed, prevHash: '0'.repeat(64), hash: 'a'.repeat(64), sig: `${'A'.repeat(86)}==` };

  it('accepts every listed type and gateway.started', () => {
    const check = compileSchema(UnsealedEvent);
    for (const type of ['lot.verified', 'tags.missing', 'tags.foreign', 'tags.moved', 'camera.tamper', 'camera.change', 'audio.anomaly', 'device.offline', 'device.online', 'sensor.out_of_range', 'gateway.started']) {
      expect(check({ ...unsealed, type }).ok, type).toBe(true);
    }
    expect(check({ ...unsealed, type: 'lot.stolen' }).ok).toBe(false);
  });

  it('lotId and zone are optional, evidence must be an object', () => {
    const check = compileSchema(UnsealedEvent);
    const { lotId: _l, zone: _z, ...bare } = unsealed;
    expect(check(bare).ok).toBe(true);
    expect(errorOf(check({ ...unsealed, evidence: [] }))).toContain('/evidence');
    expect(errorOf(check({ ...unsealed, severity: 'fatal' }))).toContain('/severity');
  });

  it('requires prevHash, hash and sig in the sealed form, and refuses unknown members', () => {
    const check = compileSchema(VerificationEvent);
    expect(check(sealed).ok).toBe(true);
    expect(check(unsealed).ok).toBe(false);
    expect(errorOf(check({ ...sealed, hash: 'A'.repeat(64) }))).toContain('/hash');
    expect(errorOf(check({ ...sealed, sig: 'not-base64' }))).toContain('/sig');
    expect(errorOf(check({ ...sealed, extra: 1 }))).toBe('(root): must not have additional properties (extra)');
    expect(errorOf(compileSchema(UnsealedEvent)(sealed))).toContain('additional properties');
  });
});
