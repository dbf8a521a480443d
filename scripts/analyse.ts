/**
 * `npm run analyse -- <kind> …`: runs a gateway stage's core on recorded media and prints
 * JSON lines (machines read them; progress goes to stderr), so a site can tune its
 * thresholds on its own footage and recordings. One module per kind, loaded on demand.
 */
type Analyse = (argv: readonly string[]) => Promise<number>;

const KINDS: Record<string, () => Promise<Analyse>> = {
  video: async () => (await import('../gateway/video/cli/analyse-video.ts')).analyseVideo,
  audio: async () => {
    const { analyseAudio } = await import('../gateway/audio/analyse-audio.ts');
    return async (argv) => {
      await analyseAudio(argv);
      return 0;
    };
  },
};

const [kind, ...rest] = process.argv.slice(2);
const load = kind === undefined ? undefined : KINDS[kind];
if (!load) {
  process.stderr.write(`usage: npm run analyse -- <${Object.keys(KINDS).join('|')}> [options] FILE...\n`);
  process.exit(2);
}
try {
  process.exit(await (await load())(rest));
} catch (error) {
  // A wrong option or file is the caller's to fix (exit 2); anything else is ours (exit 1).
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof Error && error.name === 'UsageError' ? 2 : 1);
}
