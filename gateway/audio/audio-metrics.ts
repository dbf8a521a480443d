import { Counter, Gauge, type Registry } from 'prom-client';
import type { AudioCore } from './audio-core.ts';
import type { StreamCounters } from './stream-reassembly.ts';

const STREAM_KINDS: readonly (keyof StreamCounters)[] = ['chunks', 'gaps', 'missingChunks', 'duplicates', 'reordered', 'late', 'restarts', 'unsequenced', 'arrivalTimed'];

/**
 * Prometheus metrics of the audio stage. Stream accounting is read from the core at
 * scrape time (labelled by configured microphone only, so cardinality is the site's).
 * Real-time factor: `rate(gateway_audio_audio_seconds_total[5m]) / rate(gateway_audio_processing_seconds_total[5m])`.
 */
export function createAudioMetrics(registry: Registry, core: () => AudioCore | undefined, queued: () => number) {
  const registers = [registry];
  new Gauge({
    name: 'gateway_audio_stream_chunks',
    help: 'Per microphone since start: chunks received, gaps, chunks missing, duplicates, reordered, late, restarts, without seq, timed by arrival (no ts)',
    labelNames: ['microphone', 'kind'] as const,
    registers,
    collect() {
      this.reset();
      for (const m of core()?.microphones() ?? []) for (const kind of STREAM_KINDS) this.set({ microphone: m.deviceId, kind }, m.counters[kind]);
    },
  });
  new Gauge({ name: 'gateway_audio_queue_chunks', help: 'Chunks waiting for analysis', registers, collect() { this.set(queued()); } });
  return {
    chunkErrors: new Counter({ name: 'gateway_audio_chunk_errors_total', help: 'Audio chunks refused or repaired, by reason (odd_length is kept, minus its last byte)', labelNames: ['reason'] as const, registers }),
    windows: new Counter({ name: 'gateway_audio_windows_total', help: 'One-second windows analysed, by what they were heard as', labelNames: ['label'] as const, registers }),
    findings: new Counter({ name: 'gateway_audio_findings_total', help: 'audio.anomaly onsets reported, by label', labelNames: ['label'] as const, registers }),
    audioSeconds: new Counter({ name: 'gateway_audio_audio_seconds_total', help: 'Seconds of sound analysed', registers }),
    processingSeconds: new Counter({ name: 'gateway_audio_processing_seconds_total', help: 'CPU-bound seconds spent analysing sound', registers }),
  };
}
