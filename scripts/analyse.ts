/**
 * `npm run analyse -- <kind> ...`: runs a gateway stage's core over recordings and prints
 * JSON lines (machines read them; a progress line goes to stderr). Kinds: audio.
 */
import { analyseAudio, UsageError } from '../gateway/audio/analyse-audio.ts';

const KINDS: Record<string, (argv: readonly string[]) => Promise<void>> = {
  audio: analyseAudio,
};

const [kind, ...rest] = process.argv.slice(2);
const run = kind === undefined ? undefined : KINDS[kind];
if (run === undefined) {
  process.stderr.write(`usage: npm run analyse -- <${Object.keys(KINDS).join('|')}> [options] FILE...\n`);
  process.exit(2);
}
try {
  await run(rest);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
