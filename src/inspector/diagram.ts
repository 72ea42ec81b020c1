import { type GraphState, type GraphTransition, type MachineGraph, transitionLabel } from './machineGraph.ts';

/**
 * Diagrams generated from the machine definitions: Mermaid `stateDiagram-v2` text and a standalone SVG
 * laid out here (no browser, no layout engine). Both are deterministic, so `docs/machines/` can be
 * regenerated and compared in a test.
 */

const GENERATED =
  'generated from machines/ by `npx vhost-sim diagram` (see docs/machines/README.md); do not edit';

// ------------------------------------------------------------------------------------------ Mermaid

/** Mermaid's state grammar ends a description or label at `:` or `;`. */
function mermaidText(s: string): string {
  return s.replace(/:\s/g, ' - ').replace(/[:;]/g, ',').replace(/\s+/g, ' ').trim();
}

/**
 * Mermaid stateDiagram-v2: every state with its description, every state-changing transition labelled
 * `event [guard]`, targetless (internal) transitions in a note beside their state, tags as classes.
 * @example
 * toMermaid(machineGraph(machines.virtqueue.machine)).split('\n')[0]; // '---'
 */
export function toMermaid(g: MachineGraph): string {
  const out: string[] = ['---', `title: ${g.id}`, '---', 'stateDiagram-v2', '  direction LR'];
  out.push(`  %% ${g.id}: ${mermaidText(g.description)}`);
  out.push(`  %% ${GENERATED}`);
  out.push('  classDef tagIdle fill:#e8f1ff,stroke:#3b6fb6,color:#10243f');
  out.push('  classDef tagBusy fill:#fff1de,stroke:#b9770e,color:#3d2605');
  out.push(`  [*] --> ${g.initial}`);
  for (const s of g.states) out.push(`  ${s.name} : ${mermaidText(s.description)}`);
  for (const s of g.states) {
    for (const t of s.transitions) {
      if (t.target !== null) out.push(`  ${s.name} --> ${t.target} : ${mermaidText(transitionLabel(t))}`);
    }
  }
  for (const s of g.states) {
    const internal = s.transitions.filter((t) => t.target === null);
    if (internal.length === 0) continue;
    out.push(`  note right of ${s.name}`);
    out.push('    internal (no state change)');
    for (const t of internal) out.push(`    ${mermaidText(transitionLabel(t))}`);
    out.push('  end note');
  }
  for (const tag of ['idle', 'busy']) {
    const names = g.states.filter((s) => s.tags.includes(tag)).map((s) => s.name);
    if (names.length > 0) out.push(`  class ${names.join(',')} tag${tag[0].toUpperCase()}${tag.slice(1)}`);
  }
  return `${out.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------ SVG

const FONT = 11;
/** Monospace advance: widths are estimated from character counts, so the font must be monospace. */
const CHAR_W = FONT * 0.6;
const LINE_H = 15;
const PAD = 9;
const BOX_W = 250;
const GAP = 110;
const MARGIN = 24;
const LANE_H = 24;
const WRAP = Math.floor((BOX_W - 2 * PAD) / CHAR_W);

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Greedy word wrap to `width` characters (long words are cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter((w) => w.length > 0)) {
    while (word.length > width) {
      if (line !== '') lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

interface BoxLine {
  text: string;
  cls: 'name' | 'tag' | 'desc' | 'head' | 'internal';
}

interface Box {
  state: GraphState;
  x: number;
  lines: BoxLine[];
  h: number;
}

interface Arc {
  from: number;
  to: number;
  label: string;
  /** Above the boxes (left to right) or below (right to left). */
  above: boolean;
  x1: number;
  x2: number;
  lane: number;
}

function boxLines(s: GraphState): BoxLine[] {
  const lines: BoxLine[] = [{ text: s.name, cls: 'name' }];
  if (s.tags.length > 0) lines.push({ text: s.tags.map((t) => `#${t}`).join(' '), cls: 'tag' });
  for (const l of wrap(s.description, WRAP)) lines.push({ text: l, cls: 'desc' });
  const stay = s.transitions.filter((t) => t.target === null || t.target === s.name);
  if (stay.length > 0) {
    lines.push({ text: 'stays here on:', cls: 'head' });
    for (const t of stay) {
      const mark = t.target === null ? '\u2022' : '\u21bb';
      for (const l of wrap(`${mark} ${transitionLabel(t)}`, WRAP)) lines.push({ text: l, cls: 'internal' });
    }
  }
  return lines;
}

/** Lowest lane whose intervals do not overlap [a, b]. */
function pickLane(lanes: [number, number][][], a: number, b: number): number {
  for (let i = 0; ; i++) {
    lanes[i] ??= [];
    if (lanes[i].every(([c, d]) => b < c || a > d)) {
      lanes[i].push([a, b]);
      return i;
    }
  }
}

/**
 * A standalone SVG: states as boxes in one row (declaration order, initial first) listing their
 * description, tags and the transitions that stay in the state; state changes as orthogonal arcs,
 * left-to-right above the row and right-to-left below it, each on its own lane so no two labels overlap.
 * Each state is a `<g class="state" data-state="name">` so a page can highlight the current one.
 */
export function toSvg(g: MachineGraph): string {
  const ordered = [
    ...g.states.filter((s) => s.name === g.initial),
    ...g.states.filter((s) => s.name !== g.initial),
  ];
  const index = new Map(ordered.map((s, i) => [s.name, i]));
  const boxes: Box[] = ordered.map((state, i) => {
    const lines = boxLines(state);
    return { state, x: MARGIN + 30 + i * (BOX_W + GAP), lines, h: 2 * PAD + lines.length * LINE_H };
  });

  // Arcs between distinct states, merged per (from, to) pair so parallel transitions share one label.
  const pairs = new Map<string, { from: number; to: number; labels: string[] }>();
  ordered.forEach((s, i) => {
    for (const t of s.transitions as GraphTransition[]) {
      if (t.target === null || t.target === s.name) continue;
      const j = index.get(t.target);
      if (j === undefined) throw new Error(`${g.id}.${s.name}: unknown target '${t.target}'`);
      const key = `${i}>${j}`;
      const p = pairs.get(key) ?? { from: i, to: j, labels: [] };
      p.labels.push(transitionLabel(t));
      pairs.set(key, p);
    }
  });
  const arcs: Arc[] = [...pairs.values()].map((p) => ({
    from: p.from,
    to: p.to,
    label: p.labels.join(' | '),
    above: p.from < p.to,
    x1: 0,
    x2: 0,
    lane: 0,
  }));

  // Attachment points: spread over each box's top (above) or bottom (below), ordered by the far end.
  for (const above of [true, false]) {
    boxes.forEach((box, b) => {
      const ends: { arc: Arc; end: 'x1' | 'x2'; other: number }[] = [];
      for (const arc of arcs) {
        if (arc.above !== above) continue;
        if (arc.from === b) ends.push({ arc, end: 'x1', other: arc.to });
        if (arc.to === b) ends.push({ arc, end: 'x2', other: arc.from });
      }
      // Far ends to the left attach on the left; among equal far ends, outgoing first.
      ends.sort((p, q) => p.other - q.other || (p.end === 'x1' ? -1 : 1));
      ends.forEach((e, k) => {
        e.arc[e.end] = box.x + ((k + 1) * BOX_W) / (ends.length + 1);
      });
    });
  }

  // Lanes: shortest spans nearest the boxes; a lane holds arcs whose span and label do not overlap.
  const lanesAbove: [number, number][][] = [];
  const lanesBelow: [number, number][][] = [];
  const bySpan = [...arcs].sort(
    (p, q) => Math.abs(p.x2 - p.x1) - Math.abs(q.x2 - q.x1) || p.from - q.from || p.to - q.to,
  );
  for (const arc of bySpan) {
    const lo = Math.min(arc.x1, arc.x2);
    const hi = Math.max(arc.x1, arc.x2);
    const mid = (lo + hi) / 2;
    const half = (arc.label.length * CHAR_W) / 2 + 6;
    arc.lane = pickLane(
      arc.above ? lanesAbove : lanesBelow,
      Math.min(lo, mid - half) - 8,
      Math.max(hi, mid + half) + 8,
    );
  }

  const minX = Math.min(MARGIN, ...arcs.map((a) => Math.min(a.x1, a.x2) - (a.label.length * CHAR_W) / 2));
  const shift = minX < MARGIN ? MARGIN - minX : 0;
  const contentRight = Math.max(
    boxes[boxes.length - 1].x + BOX_W,
    ...arcs.map((a) => (a.x1 + a.x2) / 2 + (a.label.length * CHAR_W) / 2 + 8),
  );
  const width = Math.ceil(contentRight + shift + MARGIN);
  // The title wraps to the drawing's width (13px monospace).
  const titleLines = wrap(`${g.id} \u2014 ${g.description}`, Math.floor((width - 2 * MARGIN) / 7.8));
  const titleH = titleLines.length * 18 + 10;
  const top = MARGIN + titleH + lanesAbove.length * LANE_H + 10;
  const maxH = Math.max(...boxes.map((b) => b.h));
  const bottom = top + maxH;
  const height = Math.ceil(bottom + lanesBelow.length * LANE_H + 10 + MARGIN);
  const X = (x: number) => Math.round((x + shift) * 10) / 10;

  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="vs-diagram" data-machine="${escapeXml(g.id)}" ` +
      `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="${FONT}">`,
  );
  o.push(`<title>${escapeXml(g.id)} state machine</title>`);
  o.push(`<!-- ${escapeXml(g.id)}: ${GENERATED} -->`);
  o.push(
    '<style>' +
      '.vs-diagram .box{fill:#ffffff;stroke:#555;stroke-width:1.2}' +
      '.vs-diagram .tag-idle .box{fill:#e8f1ff;stroke:#3b6fb6}' +
      '.vs-diagram .tag-busy .box{fill:#fff1de;stroke:#b9770e}' +
      '.vs-diagram .current .box{fill:#fde047;stroke:#a16207;stroke-width:3}' +
      '.vs-diagram .name{font-weight:bold;font-size:13px;fill:#111}' +
      '.vs-diagram .tag{fill:#666}.vs-diagram .desc{fill:#222}' +
      '.vs-diagram .head{fill:#555;font-style:italic}.vs-diagram .internal{fill:#333}' +
      '.vs-diagram .arc{fill:none;stroke:#333;stroke-width:1.2}' +
      '.vs-diagram .lbl-bg{fill:#ffffff;opacity:0.92}.vs-diagram .lbl{fill:#0b3d91}' +
      '.vs-diagram .title{font-size:13px;fill:#111}' +
      '</style>',
  );
  const marker = `vs-arrow-${g.id}`;
  o.push(
    `<defs><marker id="${escapeXml(marker)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" ` +
      'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
  );
  titleLines.forEach((l, i) => {
    o.push(`<text class="title" x="${MARGIN}" y="${MARGIN + 13 + i * 18}">${escapeXml(l)}</text>`);
  });

  // Initial pseudo-state.
  const first = boxes[0];
  const iy = top + 18;
  o.push(`<circle cx="${X(first.x - 22)}" cy="${iy}" r="6" fill="#111"/>`);
  o.push(
    `<path class="arc" d="M${X(first.x - 16)},${iy} L${X(first.x)},${iy}" marker-end="url(#${escapeXml(marker)})"/>`,
  );

  for (const box of boxes) {
    const tagCls = box.state.tags.map((t) => ` tag-${escapeXml(t)}`).join('');
    o.push(`<g class="state${tagCls}" data-state="${escapeXml(box.state.name)}">`);
    o.push(`<rect class="box" x="${X(box.x)}" y="${top}" width="${BOX_W}" height="${box.h}" rx="8"/>`);
    box.lines.forEach((l, i) => {
      o.push(
        `<text class="${l.cls}" x="${X(box.x + PAD)}" y="${top + PAD + 11 + i * LINE_H}">${escapeXml(l.text)}</text>`,
      );
    });
    o.push('</g>');
  }

  const labels: string[] = [];
  for (const arc of arcs) {
    const y0 = arc.above ? top : top + boxes[arc.from].h;
    const y1 = arc.above ? top : top + boxes[arc.to].h;
    const ly = arc.above ? top - (arc.lane + 1) * LANE_H : bottom + (arc.lane + 1) * LANE_H;
    o.push(
      `<path class="arc" d="M${X(arc.x1)},${y0} L${X(arc.x1)},${ly} L${X(arc.x2)},${ly} L${X(arc.x2)},${y1}" ` +
        `marker-end="url(#${escapeXml(marker)})"/>`,
    );
    const mid = (arc.x1 + arc.x2) / 2;
    const w = arc.label.length * CHAR_W + 8;
    labels.push(
      `<rect class="lbl-bg" x="${X(mid - w / 2)}" y="${ly - 9}" width="${Math.round(w)}" height="16" rx="3"/>` +
        `<text class="lbl" x="${X(mid)}" y="${ly + 3.5}" text-anchor="middle">${escapeXml(arc.label)}</text>`,
    );
  }
  o.push(...labels);
  o.push('</svg>');
  return `${o.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------ files

export type DiagramFormat = 'mermaid' | 'svg';

/** The files `docs/machines/` holds for the given graphs: `<id>.mmd` and `<id>.svg`, by file name. */
export function diagramFiles(graphs: MachineGraph[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const g of graphs) {
    files.set(`${g.id}.mmd`, toMermaid(g));
    files.set(`${g.id}.svg`, toSvg(g));
  }
  return files;
}
