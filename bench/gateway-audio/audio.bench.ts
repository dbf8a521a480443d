/**
 * Audio analysis speed, per core: log-mel features plus classification of 16 kHz mono,
 * against plain PCM decoding of the same chunks (s16le to float, the least any analysis
 * must do), both measured in this run on CPU time. Target: features + classification at
 * least 200x faster than real time on one core. Sound: the simulator's classes in turn.
 */
import { synthesiseClip, type ClipLabel } from '../../firmware-sim/index.ts';
import { encodeS16le } from '../../firmware-sim/audio/dsp.ts';
import { loadAudioClassifier } from '../../gateway/audio/classifier/audio-classifier.ts';
import { FeatureStream } from '../../gateway/audio/feature-stream.ts';
import { decodePcmChunk, MODEL_RATE, type PcmChunk } from '../../gateway/audio/pcm-chunk.ts';
import type { DeviceMessage } from '../../gateway/pipeline/device-message.ts';
import { benchScale } from '../bench-scale.ts';

const TARGET = 200;
const log = (line: string) => process.stderr.write(`${line}\n`);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const seconds = Math.max(20, Math.round(600 * benchScale()));
const labels: ClipLabel[] = ['ambient', 'engine', 'cutting', 'alarm', 'voices', 'door-slam'];
const messages: DeviceMessage[] = [];
for (let s = 0; s < seconds; s += 10) {
  const pcm = encodeS16le(synthesiseClip({ label: labels[(s / 10) % labels.length] as ClipLabel, seed: s, durationS: 10 }).samples);
  for (let at = 0; at < pcm.length; at += MODEL_RATE) {
    const ts = new Date(Date.UTC(2026, 2, 2) + (s * 1000 + at / 32));
    messages.push({ channel: 'audio.pcm', site: 's1', deviceId: 'mic-1', payload: pcm.subarray(at, at + MODEL_RATE), userProperties: { rate: '16000', ts: ts.toISOString() }, receivedAt: ts, retained: false });
  }
}
const classifier = await loadAudioClassifier();
log(`${seconds} s of 16 kHz audio in ${messages.length} chunks; TensorFlow.js backend ${classifier.backend}`);

function decodeAll(): PcmChunk[] {
  return messages.map((m) => {
    const r = decodePcmChunk(m);
    if (!r.ok) throw new Error(r.detail);
    return r.chunk;
  });
}

function analyse(chunks: PcmChunk[]): number {
  const features = new FeatureStream();
  let windows = 0;
  for (const c of chunks) {
    const ws = features.push({ startMs: c.startMs, samples: c.samples, continues: true });
    // As the stage does: the windows a chunk completes, classified as one batch.
    if (ws.length > 0) windows += classifier.classify(ws.map((w) => w.logMel)).length;
  }
  return windows;
}

analyse(decodeAll().slice(0, 40)); // warm-up: JIT and the backend's first kernels
const decodeMs: number[] = [];
const analyseMs: number[] = [];
let windows = 0;
for (let pass = 0; pass < 3; pass += 1) {
  let t = cpuMs();
  const chunks = decodeAll();
  decodeMs.push(cpuMs() - t);
  t = cpuMs();
  windows = analyse(chunks);
  analyseMs.push(cpuMs() - t);
  log(`pass ${pass + 1}: decoding ${decodeMs.at(-1)?.toFixed(0)} ms, features + classification ${analyseMs.at(-1)?.toFixed(0)} ms of CPU`);
}
const best = (xs: number[]) => Math.min(...xs);
const round = (x: number) => Math.round(x * 10) / 10;
const summary = {
  bench: 'gateway-audio',
  audioSeconds: seconds,
  windows,
  backend: classifier.backend,
  decodeRealTime: round((seconds * 1000) / best(decodeMs)),
  analyseRealTime: round((seconds * 1000) / best(analyseMs)),
  analyseVsDecode: round(best(analyseMs) / best(decodeMs)),
  target: TARGET,
};
log(`features + classification: ${summary.analyseRealTime}x real time per core (target ${TARGET}x); plain PCM decoding ${summary.decodeRealTime}x; analysis costs ${summary.analyseVsDecode}x decoding`);
log(JSON.stringify(summary));
if (summary.analyseRealTime < TARGET) {
  log(`gateway-audio: below the ${TARGET}x target`);
  process.exitCode = 1;
}
