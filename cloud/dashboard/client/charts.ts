const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Horizontal LTV bar with the facility's warning / margin-call / liquidation marks. */
export function ltvGauge(ltv: number | undefined, thresholds: { warning: number; marginCall: number; liquidation: number }): SVGElement {
  const width = 280;
  const scale = (v: number) => Math.min(1, v / 1.2) * width;
  const root = svg('svg', { class: 'gauge', width, height: 32, viewBox: `0 0 ${width} 32`, role: 'img' });
  root.append(svg('rect', { x: 0, y: 4, width, height: 10, rx: 5, fill: '#e6ebf0' }));
  if (ltv !== undefined) {
    const colour = ltv >= thresholds.liquidation ? '#7b1fa2' : ltv >= thresholds.marginCall ? '#c0392b' : ltv >= thresholds.warning ? '#c27c0e' : '#1f8a4c';
    root.append(svg('rect', { x: 0, y: 4, width: Math.max(2, scale(ltv)), height: 10, rx: 5, fill: colour }));
  }
  for (const value of [thresholds.warning, thresholds.marginCall, thresholds.liquidation]) {
    root.append(svg('line', { x1: scale(value), x2: scale(value), y1: 1, y2: 17, stroke: '#1c2733', 'stroke-width': 1 }));
  }
  // The thresholds sit a few points apart, so one caption reads better than three labels.
  const caption = svg('text', { x: 0, y: 29 });
  const pct = (v: number) => `${Math.round(v * 100)} %`;
  caption.textContent = `warning ${pct(thresholds.warning)} · margin call ${pct(thresholds.marginCall)} · liquidation ${pct(thresholds.liquidation)}`;
  root.append(caption);
  root.setAttribute('aria-label', ltv === undefined ? 'LTV unknown' : `LTV ${(ltv * 100).toFixed(1)} %`);
  return root;
}

