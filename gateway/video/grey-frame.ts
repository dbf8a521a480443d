/** A downscaled 8-bit grey frame, row-major: what every video detector works on. */
export interface GreyFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Analysis size: sharp decodes straight to it (JPEG shrink-on-load), so a frame costs a fraction of a full decode. */
export const ANALYSIS_WIDTH = 160;
export const ANALYSIS_HEIGHT = 120;
