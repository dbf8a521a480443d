import { MODEL_RATE } from './pcm-chunk.ts';

/** A mono 16-bit PCM WAV file (RIFF/WAVE, format 1) of the samples, for an evidence clip. */
export function encodeWav(samples: Float32Array, rate = MODEL_RATE): Uint8Array {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i += 1) {
    const v = Math.round((samples[i] as number) * 32768);
    out.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, 44 + i * 2);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export interface WavPcm {
  rate: number;
  /** s16le mono sample bytes. */
  pcm: Buffer;
}

export class WavError extends Error {
  override readonly name = 'WavError';
}

/**
 * The PCM of a WAV file, if it is 16-bit integer mono (what microphones stream); walks the
 * RIFF chunks so extra chunks (LIST, fact) are skipped. Anything else is refused by name.
 */
export function decodeWav(file: Buffer): WavPcm {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') throw new WavError('not a RIFF/WAVE file');
  let rate: number | undefined;
  for (let at = 12; at + 8 <= file.length; ) {
    const id = file.toString('ascii', at, at + 4);
    const size = file.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > file.length) throw new WavError('truncated fmt chunk');
      const format = file.readUInt16LE(body);
      const channels = file.readUInt16LE(body + 2);
      const bits = file.readUInt16LE(body + 14);
      const extensible = format === 0xfffe;
      if ((format !== 1 && !extensible) || channels !== 1 || bits !== 16) {
        throw new WavError(`WAV must be 16-bit integer mono (format ${format}, ${channels} channels, ${bits} bits); convert with: sox in.wav -b 16 -c 1 -e signed out.wav`);
      }
      rate = file.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (rate === undefined) throw new WavError('data chunk before fmt chunk');
      return { rate, pcm: file.subarray(body, Math.min(file.length, body + size)) };
    }
    at = body + size + (size % 2);
  }
  throw new WavError('no data chunk');
}
