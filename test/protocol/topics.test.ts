import { describe, expect, it } from 'vitest';
import { assertId, deviceRef, ID_PATTERN, isValidId, parseTopic, ProtocolError, subscriptions, topics } from '../../protocol/index.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ProtocolError ? err.code : 'not-a-protocol-error';
  }
  return undefined;
}

describe('ids', () => {
  it('accepts the contract id alphabet up to 64 characters', () => {
    expect(ID_PATTERN).toBe('^[A-Za-z0-9_-]{1,64}$');
    expect(isValidId('s1')).toBe(true);
    expect(isValidId('A-z_0')).toBe(true);
    expect(isValidId('x'.repeat(64))).toBe(true);
  });

  it('rejects empty, long, wildcard, separator and non-ASCII ids', () => {
    for (const bad of ['', 'x'.repeat(65), '+', '#', 'a/b', 'a b', 'café', 'a.b', 'a\n']) {
      expect(isValidId(bad), bad).toBe(false);
    }
    expect(isValidId(42)).toBe(false);
  });

  it('assertId names what was wrong and shows a truncated value', () => {
    expect(assertId('site', 's1')).toBe('s1');
    try {
      assertId('camera id', `bad/${'y'.repeat(200)}`);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      const e = err as ProtocolError;
      expect(e.code).toBe('bad_id');
      expect(e.message).toContain('camera id');
      expect(e.message).toContain('"bad/yyy');
      expect(e.message.length).toBeLessThan(120);
    }
  });
});

describe('topic builders', () => {
  it('build every contract topic', () => {
    expect(topics.rfidEvents('s1', 'r1')).toBe('wh/s1/rfid/r1/events');
    expect(topics.cameraFrame('s1', 'cam-2')).toBe('wh/s1/camera/cam-2/frame');
    expect(topics.audioPcm('s1', 'mic_1')).toBe('wh/s1/audio/mic_1/pcm');
    expect(topics.sensorReading('s1', 'scale1')).toBe('wh/s1/sensor/scale1/reading');
    expect(topics.deviceStatus('s1', 'r1')).toBe('wh/s1/device/r1/status');
    expect(topics.gatewayStatus('s1')).toBe('wh/s1/gateway/status');
    expect(topics.gatewayEvents('s1')).toBe('wh/s1/gateway/events');
    expect(topics.gatewayLot('s1', 'LOT-7')).toBe('wh/s1/gateway/lots/LOT-7');
  });

  it('throw bad_id on ids that would break or widen the topic', () => {
    expect(codeOf(() => topics.rfidEvents('s1', '+'))).toBe('bad_id');
    expect(codeOf(() => topics.cameraFrame('s/1', 'c1'))).toBe('bad_id');
    expect(codeOf(() => topics.gatewayLot('s1', ''))).toBe('bad_id');
    expect(codeOf(() => topics.gatewayStatus('#'))).toBe('bad_id');
  });

  it('subscribe to every device topic of one site with single-level wildcards', () => {
    expect(subscriptions.devices('s1')).toEqual([
      'wh/s1/rfid/+/events',
      'wh/s1/camera/+/frame',
      'wh/s1/audio/+/pcm',
      'wh/s1/sensor/+/reading',
      'wh/s1/device/+/status',
    ]);
    expect(codeOf(() => subscriptions.devices('+'))).toBe('bad_id');
  });

  it('deviceRef names a device as evidence does', () => {
    expect(deviceRef('s1', 'camera', 'cam1')).toBe('s1/camera/cam1');
    expect(codeOf(() => deviceRef('s1', 'rfid', 'a b'))).toBe('bad_id');
    expect(codeOf(() => deviceRef('s1', 'printer' as 'rfid', 'p1'))).toBe('bad_topic');
  });
});

describe('parseTopic', () => {
  it('parses what the builders build', () => {
    expect(parseTopic(topics.rfidEvents('s1', 'r1'))).toEqual({ channel: 'rfid.events', site: 's1', deviceId: 'r1' });
    expect(parseTopic(topics.cameraFrame('s1', 'c1'))).toEqual({ channel: 'camera.frame', site: 's1', deviceId: 'c1' });
    expect(parseTopic(topics.audioPcm('s1', 'm1'))).toEqual({ channel: 'audio.pcm', site: 's1', deviceId: 'm1' });
    expect(parseTopic(topics.sensorReading('s1', 'x'))).toEqual({ channel: 'sensor.reading', site: 's1', deviceId: 'x' });
    expect(parseTopic(topics.deviceStatus('s1', 'd'))).toEqual({ channel: 'device.status', site: 's1', deviceId: 'd' });
    expect(parseTopic('wh/s1/gateway/status')).toEqual({ channel: 'gateway.status', site: 's1' });
    expect(parseTopic('wh/s1/gateway/events')).toEqual({ channel: 'gateway.events', site: 's1' });
    expect(parseTopic('wh/s1/gateway/lots/L1')).toEqual({ channel: 'gateway.lot', site: 's1', lotId: 'L1' });
  });

  it('narrows on channel', () => {
    const t = parseTopic('wh/s1/gateway/lots/L1');
    if (t.channel !== 'gateway.lot') throw new Error('wrong channel');
    expect(t.lotId).toBe('L1');
  });

  it('rejects topics outside the contract with bad_topic', () => {
    for (const topic of [
      '',
      'wh',
      'wh/s1',
      'xx/s1/rfid/r1/events',
      'wh/s1/rfid/r1/frame',
      'wh/s1/camera/c1/events',
      'wh/s1/rfid/r1/events/extra',
      'wh/s1/rfid/r1',
      'wh/s1/printer/p1/status',
      'wh/s1/gateway/lots',
      'wh/s1/gateway/other',
      'wh/s1/gateway/status/x',
      '/wh/s1/rfid/r1/events',
    ]) {
      expect(codeOf(() => parseTopic(topic)), topic).toBe('bad_topic');
    }
  });

  it('rejects well-formed topics with bad ids with bad_id', () => {
    expect(codeOf(() => parseTopic('wh/s 1/rfid/r1/events'))).toBe('bad_id');
    expect(codeOf(() => parseTopic('wh/s1/rfid//events'))).toBe('bad_id');
    expect(codeOf(() => parseTopic('wh/s1/rfid/+/events'))).toBe('bad_id');
    expect(codeOf(() => parseTopic(`wh/s1/gateway/lots/${'l'.repeat(65)}`))).toBe('bad_id');
  });
});
