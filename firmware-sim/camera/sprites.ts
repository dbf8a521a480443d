import type { Look } from '../model/commodities.ts';

export type SpriteKind = Look | 'pallet' | 'forklift' | 'worker';

/**
 * Vector drawings of what stands in a bay, rasterised once per size. At the sizes they
 * are drawn (a bag is ~30 × 18 px in a 640 × 480 frame) colour, outline and a few
 * stripes are what a camera resolves, so that is what they have.
 */
export function spriteSvg(kind: SpriteKind, w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 100 100" preserveAspectRatio="none">${BODIES[kind]}</svg>`;
}

const shade = (id: string, top: string, bottom: string): string =>
  `<defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>`;

const bag = (id: string, top: string, bottom: string, edge: string, marks: string): string =>
  `${shade(id, top, bottom)}<path d="M6 18 Q3 50 6 84 Q50 98 94 84 Q97 50 94 18 Q50 4 6 18 Z" fill="url(#${id})" stroke="${edge}" stroke-width="4"/>${marks}`;

const BODIES: Record<SpriteKind, string> = {
  'jute-bag': bag(
    'j',
    '#b08a55',
    '#7d5e36',
    '#4f3a20',
    '<path d="M10 40 H90 M10 62 H90" stroke="#6b4f2c" stroke-width="3" opacity="0.6"/><rect x="32" y="30" width="36" height="34" fill="none" stroke="#2b5d2b" stroke-width="5"/>',
  ),
  'cocoa-bag': bag(
    'c',
    '#c9a774',
    '#94764a',
    '#5a4426',
    '<path d="M8 30 H92" stroke="#a52a2a" stroke-width="7"/><path d="M8 72 H92" stroke="#a52a2a" stroke-width="7"/>',
  ),
  'maize-bag': bag(
    'm',
    '#f2f0ea',
    '#c9c6bd',
    '#8d8a82',
    '<rect x="20" y="36" width="60" height="26" fill="#2e7d32"/><path d="M10 20 L90 82 M10 82 L90 20" stroke="#dedbd2" stroke-width="2"/>',
  ),
  'sand-bag': bag(
    's',
    '#d8d5cc',
    '#a9a59b',
    '#77736a',
    '<path d="M14 50 H86" stroke="#8f8b80" stroke-width="5"/>',
  ),
  'cathode-bundle': `${shade('k', '#d9825b', '#8f4526')}<rect x="2" y="6" width="96" height="88" fill="url(#k)" stroke="#5c2a14" stroke-width="4"/><path d="M2 22 H98 M2 38 H98 M2 54 H98 M2 70 H98 M2 86 H98" stroke="#6e3319" stroke-width="2.5"/><path d="M24 6 V94 M76 6 V94" stroke="#3d4a56" stroke-width="6"/>`,
  'painted-block': `${shade('p', '#d6c6b4', '#9c8a76')}<rect x="4" y="10" width="92" height="82" fill="url(#p)" stroke="#4a4038" stroke-width="5"/><path d="M4 50 H96" stroke="#6d6054" stroke-width="4"/><path d="M50 10 V92" stroke="#2f3337" stroke-width="8"/>`,
  coil: `<defs><radialGradient id="o" cx="0.45" cy="0.42" r="0.6"><stop offset="0" stop-color="#f4f6f8"/><stop offset="0.7" stop-color="#b9c0c7"/><stop offset="1" stop-color="#7c848c"/></radialGradient></defs><circle cx="50" cy="50" r="47" fill="url(#o)" stroke="#596067" stroke-width="3"/><circle cx="50" cy="50" r="34" fill="none" stroke="#9aa2aa" stroke-width="2"/><circle cx="50" cy="50" r="24" fill="none" stroke="#a7afb6" stroke-width="2"/><circle cx="50" cy="50" r="15" fill="#2c3034"/>`,
  'steel-coil': `<defs><radialGradient id="t" cx="0.45" cy="0.42" r="0.6"><stop offset="0" stop-color="#7d756d"/><stop offset="1" stop-color="#463f39"/></radialGradient></defs><circle cx="50" cy="50" r="44" fill="url(#t)" stroke="#2b2622" stroke-width="4"/><circle cx="50" cy="50" r="28" fill="none" stroke="#5e554c" stroke-width="4"/><circle cx="50" cy="50" r="19" fill="#1c1a18"/><path d="M50 6 V94" stroke="#8a5a2b" stroke-width="5"/>`,
  pallet: `<rect x="0" y="0" width="100" height="34" fill="#a27b4f" stroke="#5e4528" stroke-width="4"/><rect x="0" y="34" width="14" height="66" fill="#8a6640"/><rect x="43" y="34" width="14" height="66" fill="#8a6640"/><rect x="86" y="34" width="14" height="66" fill="#8a6640"/><rect x="0" y="80" width="100" height="20" fill="#94704a"/>`,
  forklift: `<rect x="8" y="34" width="52" height="40" rx="4" fill="#f2b705" stroke="#6b5200" stroke-width="2"/><rect x="14" y="10" width="36" height="26" fill="none" stroke="#222" stroke-width="4"/><rect x="58" y="4" width="8" height="74" fill="#333"/><rect x="64" y="68" width="34" height="5" fill="#444"/><circle cx="20" cy="82" r="12" fill="#111"/><circle cx="50" cy="82" r="12" fill="#111"/><rect x="22" y="44" width="18" height="10" fill="#222"/>`,
  worker: `<circle cx="50" cy="14" r="11" fill="#e0b48a"/><rect x="44" y="2" width="12" height="6" fill="#f2d600"/><rect x="30" y="26" width="40" height="40" rx="6" fill="#f57c00"/><rect x="34" y="62" width="13" height="36" fill="#263859"/><rect x="53" y="62" width="13" height="36" fill="#263859"/>`,
};

export interface BackgroundStyle {
  rack: string;
  beam: string;
  wall: [string, string];
  floor: [string, string];
  lamps: number[];
  doorOnLeft: boolean;
}

/** The empty bay seen by a camera: wall with racking and lamps, floor with aisle marking. */
export function backgroundSvg(w: number, h: number, s: BackgroundStyle): string {
  const horizon = Math.round(h * 0.42);
  const uprights = Array.from({ length: 7 }, (_, i) => Math.round((w * (i + 0.5)) / 7));
  const lamps = s.lamps
    .map((fx) => `<ellipse cx="${Math.round(fx * w)}" cy="${Math.round(h * 0.04)}" rx="${Math.round(w * 0.06)}" ry="${Math.round(h * 0.018)}" fill="url(#lamp)"/>`)
    .join('');
  const racks = uprights
    .map((x) => `<rect x="${x - 4}" y="${Math.round(h * 0.08)}" width="8" height="${horizon - Math.round(h * 0.08) + 6}" fill="${s.rack}"/>`)
    .join('');
  const beams = [0.16, 0.27, 0.37]
    .map((fy) => `<rect x="${uprights[0]}" y="${Math.round(h * fy)}" width="${(uprights[6] ?? w) - (uprights[0] ?? 0)}" height="6" fill="${s.beam}"/>`)
    .join('');
  const boxes = uprights
    .slice(0, 6)
    .map((x, i) => (i % 2 === 0 ? `<rect x="${x + 10}" y="${Math.round(h * 0.16) - 26}" width="${Math.round(w / 7) - 24}" height="26" fill="#8b6b47" stroke="#5a4430"/>` : ''))
    .join('');
  const doorX = s.doorOnLeft ? 0 : w - Math.round(w * 0.09);
  const vp = { x: w / 2, y: horizon - h * 0.3 };
  const lines = Array.from({ length: 9 }, (_, i) => {
    const x = (w * (i - 1)) / 6;
    return `<line x1="${x}" y1="${h}" x2="${vp.x + (x - vp.x) * 0.45}" y2="${horizon}" stroke="#5f5c57" stroke-width="1.5" opacity="0.5"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<defs>
<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${s.wall[0]}"/><stop offset="1" stop-color="${s.wall[1]}"/></linearGradient>
<linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${s.floor[0]}"/><stop offset="1" stop-color="${s.floor[1]}"/></linearGradient>
<radialGradient id="lamp"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#fff6d8" stop-opacity="0"/></radialGradient>
</defs>
<rect width="${w}" height="${horizon}" fill="url(#wall)"/>
<rect y="${horizon}" width="${w}" height="${h - horizon}" fill="url(#floor)"/>
${lines}
<rect x="0" y="${Math.round(h * 0.9)}" width="${w}" height="${Math.max(3, Math.round(h * 0.012))}" fill="#e0b400"/>
<rect x="${doorX}" y="${Math.round(h * 0.12)}" width="${Math.round(w * 0.09)}" height="${horizon - Math.round(h * 0.12)}" fill="#7d8388" stroke="#4a4f53" stroke-width="2"/>
${racks}${beams}${boxes}${lamps}
<rect x="${Math.round(w * 0.82)}" y="${Math.round(h * 0.09)}" width="${Math.round(w * 0.06)}" height="${Math.round(h * 0.03)}" fill="#19c24a"/>
</svg>`;
}

/** The exit sign keeps its own light at night (emergency lighting); the final pass spares it. */
export function exitSignRect(w: number, h: number): { x: number; y: number; width: number; height: number } {
  return { x: Math.round(w * 0.82), y: Math.round(h * 0.09), width: Math.round(w * 0.06), height: Math.round(h * 0.03) };
}
