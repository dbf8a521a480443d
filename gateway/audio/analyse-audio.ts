import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSiteConfig } from '../../protocol/index.ts';
import { nightHours } from '../../protocol/site/night-hours.ts';
import { createAudioCore, type AudioOutput } from './audio-core.ts';
import { loadAudioClassifier } from './classifier/audio-classifier.ts';
import { decodePcmChunk, MODEL_RATE } from './pcm-chunk.ts';
import { decodeWav } from './wav.ts';

const CHUNK_BYTES = MODEL_RATE; // 0.5 s of s16le mono, as microphones send it

const USAGE = `usage: npm run analyse -- audio [--rate 16000] [--start ISO] [--site site.yaml] FILE...
  FILE      raw s16le mono PCM, or a 16-bit mono WAV (its header gives the rate)
  --rate    rate of raw files, Hz (the model runs at 16000; convert others: sox in.wav -r 16000 -c 1 -b 16 out.wav)
  --start   wall-clock time of each file's first sample (default: today 00:00 UTC, night at the default site)
  --site    site YAML whose audio settings (working hours, thresholds) apply`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * `npm run analyse -- audio`: the gateway's audio core over recordings. Prints one JSON
 * line per one-second window (`t` seconds from the file's start, `label`, `confidence`,
 * `dbfs`) and one per anomaly (`anomaly`: its label, with the event's evidence fields).
 */
export async function analyseAudio(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { rate: { type: 'string', default: String(MODEL_RATE) }, start: { type: 'string' }, site: { type: 'string' } },
  });
  if (positionals.length === 0) throw new UsageError(USAGE);
  const rawRate = Number(values.rate);
  const today = new Date();
  const startMs = values.start === undefined ? Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) : Date.parse(values.start);
  if (Number.isNaN(startMs)) throw new UsageError(`--start ${values.start} is not an ISO 8601 time\n${USAGE}`);
  const site = parseSiteConfig(values.site === undefined ? 'site: recording\nzones: [{ id: recording, kind: storage, microphones: [file] }]' : await readFile(values.site, 'utf8'), values.site);
  const classifier = await loadAudioClassifier();
  for (const file of positionals) {
    const bytes = await readFile(file);
    const isWav = bytes.toString('ascii', 0, 4) === 'RIFF';
    const { rate, pcm } = isWav ? decodeWav(bytes) : { rate: rawRate, pcm: bytes };
    if (rate !== MODEL_RATE) throw new UsageError(`${file}: ${rate} Hz; the model runs at ${MODEL_RATE} Hz (convert: sox "${file}" -r ${MODEL_RATE} -c 1 -b 16 out.wav)`);
    // A fresh core per file: each recording is its own microphone with its own baseline.
    const core = createAudioCore({ site, classifier, isNight: nightHours(site) });
    const name = basename(file);
    const print = (o: AudioOutput) => {
      for (const w of o.windows) out(JSON.stringify({ file: name, t: (w.startMs - startMs) / 1000, label: w.label, confidence: round(w.confidence), dbfs: round(w.dbfs), ...(w.baselineDistance === undefined ? {} : { baselineDistance: round(w.baselineDistance) }) }));
      for (const d of o.drafts) {
        if (d.type !== 'audio.anomaly' || d.evidence.cleared === true) continue;
        const { label, ...evidence } = d.evidence;
        out(JSON.stringify({ file: name, t: (Date.parse(d.ts ?? '') - startMs) / 1000, anomaly: label, severity: d.severity, ...evidence }));
      }
    };
    const chunks = Math.ceil(pcm.length / CHUNK_BYTES);
    for (let k = 0; k < chunks; k += 1) {
      const ts = new Date(startMs + k * 500);
      const decoded = decodePcmChunk({
        channel: 'audio.pcm',
        site: site.site,
        deviceId: 'file',
        payload: pcm.subarray(k * CHUNK_BYTES, (k + 1) * CHUNK_BYTES),
        userProperties: { rate: String(rate), ts: ts.toISOString(), seq: String(k + 1) },
        receivedAt: ts,
        retained: false,
      });
      if (decoded.ok) print(core.ingest(decoded.chunk));
      if (chunks > 200 && k % 200 === 0) process.stderr.write(`\r${name}: ${Math.round((100 * k) / chunks)} %`);
    }
    print(core.idle('file'));
    if (chunks > 200) process.stderr.write(`\r${name}: done   \n`);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
