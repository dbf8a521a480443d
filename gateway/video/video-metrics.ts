import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the video stage; per camera where an operator needs to find the camera. */
export function createVideoMetrics(registry: Registry, queued: () => Array<{ camera: string; frames: number }>) {
  const registers = [registry];
  return {
    frames: new Counter({ name: 'gateway_video_frames_total', help: 'Frames analysed, per camera', labelNames: ['camera'] as const, registers }),
    skipped: new Counter({
      name: 'gateway_video_frames_skipped_total',
      help: 'Frames skipped because the camera sent faster than they were analysed (the oldest waiting frame goes), per camera',
      labelNames: ['camera'] as const,
      registers,
    }),
    refused: new Counter({
      name: 'gateway_video_frames_refused_total',
      help: 'Frames refused: wrong_type (not JPEG/PNG), too_large (bytes or pixels), corrupt (truncated, damaged), unknown_camera',
      labelNames: ['reason'] as const,
      registers,
    }),
    findings: new Counter({ name: 'gateway_video_findings_total', help: 'Video findings reported, by type and kind', labelNames: ['type', 'kind'] as const, registers }),
    decode: new Histogram({ name: 'gateway_video_decode_seconds', help: 'Decode and downscale of one frame (sharp thread pool)', buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5], registers }),
    analysis: new Histogram({ name: 'gateway_video_analysis_seconds', help: 'Analysis of one decoded frame (event loop)', buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05], registers }),
    queue: new Gauge({
      name: 'gateway_video_queue_frames',
      help: 'Frames waiting per camera',
      labelNames: ['camera'] as const,
      registers,
      collect() {
        for (const q of queued()) this.set({ camera: q.camera }, q.frames);
      },
    }),
  };
}

export type VideoMetrics = ReturnType<typeof createVideoMetrics>;
