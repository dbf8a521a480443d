// Sounds we did not synthesise: Debian's sound-theme-freedesktop (alarm-like sounds, as
// Ogg Vorbis) and speech from espeak-ng, converted to 16 kHz mono s16le with sox, then
// run through `npm run analyse -- audio` (the gateway's audio core).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseAudio } from '../../../gateway/audio/analyse-audio.ts';

const THEME = '/usr/share/sounds/freedesktop/stereo';
const ALARM_LIKE = ['alarm-clock-elapsed', 'phone-incoming-call'];

function has(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = [
  ...(has('sox') ? [] : ['sox (and libsox-fmt-all for Ogg)']),
  ...(has('espeak-ng') ? [] : ['espeak-ng']),
  ...(existsSync(join(THEME, 'alarm-clock-elapsed.oga')) ? [] : ['sound-theme-freedesktop']),
];
if (missing.length > 0) console.log(`skipping real-recording audio tests: ${missing.join(', ')} not installed (apt-get install sox libsox-fmt-all espeak-ng sound-theme-freedesktop)`);

const dir = mkdtempSync(join(tmpdir(), 'audio-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Converts anything sox reads to raw 16 kHz mono s16le, as a microphone streams it. */
function toRaw(input: string, name: string): string {
  const out = join(dir, `${name}.raw`);
  execFileSync('sox', [input, '-t', 'raw', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', out]);
  return out;
}

interface Line {
  file: string;
  t: number;
  label?: string;
  anomaly?: string;
  confidence: number;
  dbfs: number;
}

async function analyse(files: string[]): Promise<Line[]> {
  const lines: Line[] = [];
  await analyseAudio(['--rate', '16000', '--start', '2026-03-02T02:00:00Z', ...files], (l) => lines.push(JSON.parse(l) as Line));
  return lines;
}

describe.skipIf(missing.length > 0)('real recordings', () => {
  it('an alarm-like sound is never ambient (nor silence)', async () => {
    const files = ALARM_LIKE.map((n) => toRaw(join(THEME, `${n}.oga`), n));
    const windows = (await analyse(files)).filter((l) => l.label !== undefined);
    for (const name of ALARM_LIKE) expect(windows.filter((w) => w.file === `${name}.raw`).length).toBeGreaterThan(0);
    expect(windows.filter((w) => w.label === 'ambient' || w.label === 'silence')).toEqual([]);
  }, 30_000);

  it('speech is voices or unknown, never silence, in several voices', async () => {
    const phrases: [string, string][] = [
      ['en', 'The pallets of coffee in bay A were counted this morning, and the forklift is parked by the dock door.'],
      ['en+f3', 'Please sign the release order before the truck leaves; the copper cathodes stay in bay B.'],
      ['de', 'Die Paletten werden morgen früh abgeholt, bitte das Tor geschlossen halten.'],
    ];
    const files = phrases.map(([voice, text], i) => {
      const wav = join(dir, `speech-${i}.wav`);
      execFileSync('espeak-ng', ['-v', voice, '-w', wav, text]);
      return toRaw(wav, `speech-${i}`);
    });
    const lines = await analyse(files);
    const windows = lines.filter((l) => l.label !== undefined);
    expect(windows.length).toBeGreaterThan(10);
    expect(windows.filter((w) => w.label !== 'voices' && w.label !== 'unknown')).toEqual([]);
    expect(windows.filter((w) => w.label === 'voices').length).toBeGreaterThan(windows.length / 2);
    // At 02:00, people talking in the hall is a finding.
    expect(lines.filter((l) => l.anomaly === 'voices').length).toBeGreaterThanOrEqual(files.length);
  }, 30_000);
});
