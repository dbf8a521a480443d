import { nightHours, type SiteConfig } from '../../protocol/index.ts';
import type { VideoConfig } from '../../protocol/site/video-config.ts';
import { createCameraAnalyser, type CameraAnalyser, type CameraFinding, type CameraView, type DecodedFrame, type FrameAnalysis } from './camera-analyser.ts';
import { createPhaseCorrelator } from './phase-correlation.ts';
import { siteHour } from '../../protocol/site/site-hour.ts';

/** The cameras of the site file and the zones (with ROIs) each watches. */
export function cameraViews(site: SiteConfig): Map<string, CameraView[]> {
  const views = new Map<string, CameraView[]>();
  for (const zone of site.zones) {
    for (const c of zone.cameras) views.set(c.camera, [...(views.get(c.camera) ?? []), { zone: zone.id, roi: c.roi }]);
  }
  return views;
}

/**
 * The video core of a site, pure and synchronous: one analyser per camera, judged on the
 * warehouse's clock (capture times), so the stage, the CLI on recorded frames and the
 * tests on rendered ones get the same answers.
 */
export function createVideoCore(site: SiteConfig, config: VideoConfig, extraCameras: readonly string[] = []) {
  const correlator = createPhaseCorrelator();
  const hourOf = siteHour(site.timezone);
  const isNight = nightHours(site);
  const views = cameraViews(site);
  for (const id of extraCameras) if (!views.has(id)) views.set(id, []);
  const analysers = new Map<string, CameraAnalyser>();

  function analyser(cameraId: string): CameraAnalyser | undefined {
    let a = analysers.get(cameraId);
    if (!a) {
      const own = views.get(cameraId);
      if (!own) return undefined;
      const size = config.cameras.find((c) => c.camera === cameraId);
      const expectedSize = size?.width !== undefined && size.height !== undefined ? { width: size.width, height: size.height } : undefined;
      a = createCameraAnalyser({ config, views: own, correlator, expectedSize });
      analysers.set(cameraId, a);
    }
    return a;
  }

  return {
    isNight,
    knows: (cameraId: string) => views.has(cameraId),
    cameras: () => [...views.keys()],
    /** Undefined for a camera the site file does not name. */
    analyse(cameraId: string, frame: DecodedFrame): FrameAnalysis | undefined {
      return analyser(cameraId)?.analyse(frame, { hour: hourOf(frame.atMs), atNight: isNight(frame.atMs) });
    },
    /** RFID verified the lots of `zone` complete: the zone's ROIs take their next frame as the reference. */
    reverified(zone: string, atNight: boolean): void {
      for (const [id, own] of views) if (own.some((v) => v.zone === zone)) analyser(id)?.reverified(zone, atNight);
    },
    tamperOf: (cameraId: string) => analysers.get(cameraId)?.tamperActive(),
    faultOf: (cameraId: string) => analysers.get(cameraId)?.fault(),
  };
}

export type VideoCore = ReturnType<typeof createVideoCore>;
export type { CameraFinding };
