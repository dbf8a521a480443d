// RFID decode benchmark: `npx tsx bench/gateway-rfid/decode.bench.ts`.
// The RFID stage's decoder alone on the ingest benchmark's stream (the simulator's 50-reader
// site, Impinj, Zebra and compact payloads of ~330 reads): learned read layouts against the
// full path (JSON.parse and schema check of every element), two decoders on the same
// payloads, alternating, after a warm-up pass that fills each one's EPC and timestamp
// caches. Also checks that both give protocol's plain normaliser's result for every payload. BENCH_SCALE=small shortens the stream. The last line
// printed is a JSON summary; run() returns the same object.
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { normaliseRfidPayload } from '../../protocol/index.ts';
import { createRfidDecoder, type RfidDecoder } from '../../gateway/rfid/decode/rfid-decoder.ts';
import { benchScale } from '../bench-scale.ts';
import { generateStream, type StreamOptions } from './rfid-stream.ts';

export interface DecodeSummary {
  readonly bench: 'gateway-rfid-decode';
  readonly payloads: number;
  readonly reads: number;
  /** CPU per payload, best pass. */
  readonly layoutsMsPerPayload: number;
  readonly fullParseMsPerPayload: number;
  readonly layoutsUsPerRead: number;
  readonly fullParseUsPerRead: number;
  /** Full-path time over layout time: how many times faster the layouts decode. */
  readonly speedup: number;
  /** Share of reads taken by a layout. */
  readonly matchedShare: number;
  readonly layouts: number;
}

function pass(payloads: readonly { payload: Buffer; readerId: string }[], decoder: RfidDecoder, at: Date): number {
  const cpu = process.cpuUsage();
  for (const p of payloads) decoder.decode(p.payload, p.readerId, at);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e3;
}

export async function run(options: { seconds?: number; passes?: number; log?: (line: string) => void } = {}): Promise<DecodeSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const scale = benchScale();
  const stream: StreamOptions = { seconds: options.seconds ?? Math.max(3, Math.round(20 * scale)), readers: 50, tags: 5_000, roundMs: 1_000, eventsPerMessage: 500, seed: 1 };
  const passes = options.passes ?? (scale < 1 ? 2 : 5);
  log(`generating ${stream.seconds} s of ${stream.readers} readers' output`);
  const payloads = (await generateStream(stream)).map((m) => ({ payload: m.payload, readerId: m.topic.split('/')[3] ?? '' }));
  const at = new Date();
  const layoutDecoder = createRfidDecoder();
  const fullDecoder = createRfidDecoder({ layouts: false });
  let reads = 0;
  for (const p of payloads) {
    const plain = normaliseRfidPayload(p.payload, p.readerId, at);
    const full = fullDecoder.decode(p.payload, p.readerId, at);
    const fast = layoutDecoder.decode(p.payload, p.readerId, at);
    if (!isDeepStrictEqual(full, plain) || !isDeepStrictEqual(fast, plain)) throw new Error(`the decoders and the plain normaliser disagree on a payload of ${p.readerId}`);
    reads += full.reads.length;
  }
  const before = layoutDecoder.stats();
  const layoutsMs: number[] = [];
  const fullMs: number[] = [];
  for (let i = 0; i < passes; i++) {
    layoutsMs.push(pass(payloads, layoutDecoder, at));
    fullMs.push(pass(payloads, fullDecoder, at));
    log(`pass ${i + 1}: layouts ${layoutsMs.at(-1)?.toFixed(0)} ms, full parse ${fullMs.at(-1)?.toFixed(0)} ms of CPU for ${payloads.length} payloads`);
  }
  const after = layoutDecoder.stats();
  const best = (xs: number[]) => Math.min(...xs);
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const summary: DecodeSummary = {
    bench: 'gateway-rfid-decode',
    payloads: payloads.length,
    reads,
    layoutsMsPerPayload: round(best(layoutsMs) / payloads.length, 3),
    fullParseMsPerPayload: round(best(fullMs) / payloads.length, 3),
    layoutsUsPerRead: round((best(layoutsMs) * 1000) / reads, 2),
    fullParseUsPerRead: round((best(fullMs) * 1000) / reads, 2),
    speedup: round(best(fullMs) / best(layoutsMs), 2),
    matchedShare: round((after.matched - before.matched) / (reads * passes), 3),
    layouts: after.layouts,
  };
  log(
    `decode: ${summary.layoutsUsPerRead} µs per read by layouts vs ${summary.fullParseUsPerRead} µs by full parse (${summary.speedup}x); ${Math.round(summary.matchedShare * 100)} % of reads matched one of ${summary.layouts} layouts`,
  );
  log(JSON.stringify(summary));
  return summary;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await run();
