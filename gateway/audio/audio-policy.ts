import { nightHours, type IsNight, type Severity, type SiteConfig } from '../../protocol/index.ts';
import { AudioSettings, type AudioLabel } from '../../protocol/site/audio-settings.ts';
import { Compile } from 'typebox/compile';

export type FindingLabel = AudioLabel | 'unknown';

export interface AudioPolicy {
  settings: AudioSettings;
  inWorkingHours(ms: number): boolean;
  /** Whether a sound of this label at this instant is a finding. */
  reportable(label: FindingLabel, ms: number): boolean;
  severity(label: FindingLabel, ms: number): Severity;
}

const settingsChecker = Compile(AudioSettings);

/** The site's `audio` settings with their defaults filled in (the site YAML may leave them out). */
export function audioSettings(site: SiteConfig): AudioSettings {
  return settingsChecker.Default(structuredClone(site.audio ?? {})) as AudioSettings;
}

/**
 * What is normal when (issue #21): inside working hours the labels listed in
 * `normalInWorkingHours` (by default engine, voices, impact: forklifts, people, doors)
 * are work; outside them every recognised sound is a finding. An alarm is always one,
 * and so is cutting unless the site lists it. `unknown` sounds (far from the hour's
 * baseline, not recognised) are findings at any hour. Working hours default to the
 * hours outside the site's night.
 */
export function createAudioPolicy(site: SiteConfig, isNight: IsNight): AudioPolicy {
  const settings = audioSettings(site);
  const hours = settings.workingHours;
  const inWorkingHours: (ms: number) => boolean = hours === undefined ? (ms) => !isNight(ms) : nightHours({ timezone: site.timezone, night: hours });
  const normal = new Set<FindingLabel>(settings.normalInWorkingHours);
  return {
    settings,
    inWorkingHours,
    reportable: (label, ms) => !normal.has(label) || !inWorkingHours(ms),
    severity(label, ms) {
      if (label === 'alarm') return 'critical';
      if (label === 'engine' || label === 'cutting') return 'warning';
      return inWorkingHours(ms) ? 'info' : 'warning';
    },
  };
}
