/**
 * `npm run analyse -- <kind> …`: runs a gateway stage's core on recorded media, so a site
 * can tune its thresholds on its own footage. One module per kind.
 */
const KINDS: Record<string, () => Promise<(argv: readonly string[]) => Promise<number>>> = {
  video: async () => (await import('../gateway/video/cli/analyse-video.ts')).analyseVideo,
  // audio: the audio stage's CLI (gateway/audio) goes here.
};

const [kind, ...rest] = process.argv.slice(2);
const load = kind === undefined ? undefined : KINDS[kind];
if (!load) {
  process.stderr.write(`usage: npm run analyse -- <${Object.keys(KINDS).join('|')}> …\n`);
  process.exit(2);
}
process.exit(await (await load())(rest));
