import { AUDIO_CLASSES } from '../../gateway/audio/classifier/audio-classes.ts';

export interface Evaluation {
  accuracy: number;
  /** rows: true class, columns: predicted class, in AUDIO_CLASSES order. */
  confusion: number[][];
}

export function evaluate(truth: readonly number[], predicted: readonly number[]): Evaluation {
  const n = AUDIO_CLASSES.length;
  const confusion = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let right = 0;
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) right += 1;
  });
  return { accuracy: right / Math.max(1, truth.length), confusion };
}

/** The confusion matrix as a Markdown table for the README. */
export function confusionMarkdown(e: Evaluation): string {
  const head = `| true \\ predicted | ${AUDIO_CLASSES.join(' | ')} |`;
  const rule = `|---|${AUDIO_CLASSES.map(() => '---:').join('|')}|`;
  const rows = e.confusion.map((row, i) => `| ${AUDIO_CLASSES[i]} | ${row.join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}
