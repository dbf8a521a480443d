import type { ImpinjBatching, RfidFormatName } from '../engine/options.ts';
import type { TagRead } from './read-model.ts';
import { isoMicro, isoMillis, isoZebra } from './timestamps.ts';

export type HealthEvent =
  | { kind: 'antennaDisconnected' | 'antennaConnected'; ts: number; antenna: number }
  | { kind: 'inventoryStatus'; ts: number; status: 'running' | 'idle' }
  | { kind: 'overflow'; ts: number; firstEventTs: number; lastEventTs: number; purged: number; remaining: number };

export interface EncoderIdentity {
  hostname: string;
  transmitPowerCdbm: number;
  /** Firmware quirks, fixed per reader. */
  omitEventType: boolean;
  includeEpcHex: boolean;
  batching: ImpinjBatching;
}

const base64Cache = new Map<string, string>();

/** The same few thousand EPCs are encoded over and over. */
function base64Of(hex: string): string {
  let b64 = base64Cache.get(hex);
  if (b64 === undefined) {
    b64 = Buffer.from(hex, 'hex').toString('base64');
    if (base64Cache.size > 100_000) base64Cache.clear();
    base64Cache.set(hex, b64);
  }
  return b64;
}

/** A reader's wire format: how reads and health become JSON elements and elements a payload. */
export interface RfidEncoder {
  readonly name: RfidFormatName;
  read(read: TagRead, eventNum: number): object;
  /** Undefined when the format has no such event (only Impinj reports health in-band). */
  health(event: HealthEvent): object | undefined;
  serialise(elements: readonly object[]): string;
}

function impinjEnvelope(id: EncoderIdentity, ts: number, eventType: string, member: string, body: object): object {
  return {
    timestamp: isoMicro(ts + 2, (ts * 7) % 1000),
    hostname: id.hostname,
    ...(id.omitEventType ? {} : { eventType }),
    [member]: body,
  };
}

/** Impinj IoT device interface (R700): tagInventoryEvent with a base64 EPC, power in centi-dBm. */
export function impinjEncoder(id: EncoderIdentity): RfidEncoder {
  return {
    name: 'impinj',
    read(read) {
      // Built field by field (no spreads): readers emit thousands of these per second.
      const tag: Record<string, unknown> = { epc: base64Of(read.epc) };
      if (id.includeEpcHex) tag['epcHex'] = read.epc;
      tag['antennaPort'] = read.antenna;
      tag['antennaName'] = `Antenna ${read.antenna}`;
      tag['peakRssiCdbm'] = Math.round(read.rssiDbm * 100);
      tag['frequency'] = read.frequencyKhz;
      tag['transmitPowerCdbm'] = id.transmitPowerCdbm;
      tag['lastSeenTime'] = isoMicro(read.ts, (read.ts * 13) % 1000);
      tag['phaseAngle'] = read.phaseDeg;
      const event: Record<string, unknown> = { timestamp: isoMicro(read.ts + 2, (read.ts * 7) % 1000), hostname: id.hostname };
      if (!id.omitEventType) event['eventType'] = 'tagInventory';
      event['tagInventoryEvent'] = tag;
      return event;
    },
    health(event) {
      switch (event.kind) {
        case 'antennaConnected':
        case 'antennaDisconnected':
          return impinjEnvelope(id, event.ts, event.kind, `${event.kind}Event`, { antennaPort: event.antenna });
        case 'inventoryStatus':
          return impinjEnvelope(id, event.ts, 'inventoryStatus', 'inventoryStatusEvent', { status: event.status });
        case 'overflow':
          return impinjEnvelope(id, event.ts, 'overflow', 'overflowEvent', {
            firstEventTimestamp: isoMicro(event.firstEventTs, 0),
            lastEventTimestamp: isoMicro(event.lastEventTs, 0),
            eventsPurged: event.purged,
            eventsRemaining: event.remaining,
          });
      }
    },
    serialise(elements) {
      const lines = elements.map((e) => JSON.stringify(e));
      if (id.batching === 'array') return `[${lines.join(',')}]`;
      return lines.join(id.batching === 'ndjson' ? '\n' : '');
    },
  };
}

/** Zebra IoT Connector tag data event (`type: SIMPLE`), RSSI in dBm, channel in MHz. */
export function zebraEncoder(): RfidEncoder {
  return {
    name: 'zebra',
    read(read, eventNum) {
      return {
        data: {
          eventNum,
          format: 'epc',
          idHex: read.epc.toLowerCase(),
          antenna: read.antenna,
          peakRssi: Math.round(read.rssiDbm),
          reads: read.reads,
          channel: read.frequencyKhz / 1000,
          phase: Math.round(read.phaseDeg - 180),
          PC: read.epc.length === 24 ? '3000' : '4000',
        },
        timestamp: isoZebra(read.ts),
        type: 'SIMPLE',
      };
    },
    health: () => undefined,
    serialise: (elements) => JSON.stringify(elements),
  };
}

/** The contract's own compact read. */
export function compactEncoder(): RfidEncoder {
  return {
    name: 'compact',
    read(read) {
      return { epc: read.epc, antenna: read.antenna, rssi: Math.round(read.rssiDbm * 10) / 10, ts: isoMillis(read.ts) };
    },
    health: () => undefined,
    serialise: (elements) => JSON.stringify(elements),
  };
}
