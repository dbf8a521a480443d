/** Reader messages shaped like the vendors' own documentation examples. */

export const impinjTagInventory = {
  timestamp: '2021-03-04T21:40:31.565927Z',
  hostname: 'impinj-14-1b-a1',
  eventType: 'tagInventory',
  tagInventoryEvent: {
    epc: 'MAAAAAAAAAAAAAAA',
    epcHex: '300000000000000000000000',
    antennaPort: 1,
    antennaName: 'Antenna 1',
    peakRssiCdbm: -5800,
    frequency: 920250,
    transmitPowerCdbm: 3000,
    lastSeenTime: '2021-03-04T21:40:31.565927Z',
  },
};

/** Base64 of the GS1 TDS example EPC 3074257BF7194E4000001A85. */
export const TDS_EXAMPLE_BASE64 = 'MHQle/cZTkAAABqF';

export const impinjBase64Only = {
  timestamp: '2022-11-02T10:00:00.000000Z',
  eventType: 'tagInventory',
  tagInventoryEvent: { epc: TDS_EXAMPLE_BASE64, antennaPort: 2, peakRssiCdbm: -6150, phaseAngle: 31.12, tidHex: 'E2801190200050D5C2F8030B' },
};

export const impinjHexOnlyNoEventType = {
  timestamp: '2022-11-02T10:00:01Z',
  hostname: 'r700-dock',
  tagInventoryEvent: { epcHex: 'e2801190a5021f80055817ca', antennaPort: 3, peakRssiCdbm: -7025, frequency: 902750 },
};

export const impinjAntennaConnected = {
  timestamp: '2022-11-02T10:00:02Z',
  hostname: 'r700-dock',
  eventType: 'antennaConnected',
  antennaConnectedEvent: { antennaPort: 4 },
};

export const impinjAntennaDisconnected = {
  timestamp: '2022-11-02T10:00:03Z',
  eventType: 'antennaDisconnected',
  antennaDisconnectedEvent: { antennaPort: 2 },
};

export const impinjInventoryStatus = {
  timestamp: '2022-11-02T10:00:04Z',
  eventType: 'inventoryStatus',
  inventoryStatusEvent: { status: 'running' },
};

export const impinjOverflow = {
  timestamp: '2022-11-02T10:00:05Z',
  eventType: 'overflow',
  overflowEvent: {
    firstEventTimestamp: '2022-11-02T09:59:00Z',
    lastEventTimestamp: '2022-11-02T10:00:00Z',
    eventsPurged: 1200,
    eventsRemaining: 300,
  },
};

export const zebraSimple = {
  data: { eventNum: 1, format: 'epc', idHex: 'e2801190a5021f80055817ca', antenna: 1, peakRssi: -52, reads: 3, channel: 922.75 },
  timestamp: '2023-05-09T13:42:27.350+0000',
  type: 'SIMPLE',
};

export const zebraPortal = {
  data: {
    eventNum: 88,
    format: 'epc',
    idHex: '3074257bf7194e4000001a85',
    antenna: 2,
    peakRssi: -61,
    reads: 12,
    channel: 915.25,
    phase: -12.5,
    PC: '3000',
    CRC: 'a1b2',
    MAC: '84:24:8D:F0:F4:B5',
    tidHex: 'e2801190200050d5c2f8030b',
    userDefined: 'dock-3',
  },
  timestamp: '2023-05-09T15:42:27.350+0200',
  type: 'PORTAL',
};

export const compactRead = { epc: '3074257BF7194E4000001A85', antenna: 1, rssi: -58.5, ts: '2024-02-03T04:05:06.789Z' };
