import { readFileSync } from 'node:fs';
import { parseSiteConfig, type SiteConfig } from '../../../../protocol/index.ts';
import { loadAudioClassifier, type AudioClassifier } from '../../../../gateway/audio/classifier/audio-classifier.ts';

let loading: Promise<AudioClassifier> | undefined;

/** The committed model, loaded once per test file. */
export function committedClassifier(): Promise<AudioClassifier> {
  loading ??= loadAudioClassifier();
  return loading;
}

export function siteS1(): SiteConfig {
  return parseSiteConfig(readFileSync(new URL('../../../../config/site-s1.yaml', import.meta.url), 'utf8'), 'config/site-s1.yaml');
}
