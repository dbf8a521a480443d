import type { AudioWindow } from './feature-stream.ts';

/** Below this a window is digital silence: a dead or muted capsule, a stuck encoder. */
export const SILENCE_DBFS = -90;
/** A window this clipped is overdriven: a broken preamp, a shorted line, a scraped capsule. */
const CLIPPED_SHARE = 0.01;
/** Windows (seconds) of nothing else before a microphone is called unhealthy, and back. */
const HEALTH_WINDOWS = 60;

export type MicrophoneFault = 'silent' | 'clipping';

/**
 * A microphone that delivers only silence or only clipped noise hears nothing, even while
 * its chunks arrive on time (so presence says online). Judged over HEALTH_WINDOWS windows in
 * a row; one ordinary window ends the run. Pure.
 */
export class MicrophoneHealth {
  private run: MicrophoneFault | 'ok' = 'ok';
  private runLength = 0;
  fault: MicrophoneFault | undefined;

  /** Returns the new state when it changed: a fault, or 'ok' when a fault ended. */
  observe(window: AudioWindow): MicrophoneFault | 'ok' | undefined {
    const kind: MicrophoneFault | 'ok' = window.dbfs <= SILENCE_DBFS ? 'silent' : window.clipped >= CLIPPED_SHARE ? 'clipping' : 'ok';
    this.runLength = kind === this.run ? this.runLength + 1 : 1;
    this.run = kind;
    if (kind === 'ok') {
      if (this.fault === undefined) return undefined;
      this.fault = undefined;
      return 'ok';
    }
    if (this.fault === kind || this.runLength < HEALTH_WINDOWS) return undefined;
    this.fault = kind;
    return kind;
  }
}
