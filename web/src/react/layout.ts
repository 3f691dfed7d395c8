/**
 * Where each tile of the call goes, in pixels of the grid's own box. Pure, so
 * the rules are tested without a browser.
 *
 * - **Gallery**: every tile as large as the box allows. The column count is
 *   the one that gives the biggest tiles for this box (a phone held upright
 *   gets one or two columns, a wide window more), and a camera tile may be
 *   cut down from 16:9 to 4:3 to fill it: faces sit in the middle, and
 *   `object-fit: cover` trims the sides. On a box taller than wide (a phone
 *   held upright) every camera tile is a square: 16:9 strips stacked in one
 *   column cover more pixels by arithmetic, but each face is a sliver, so
 *   four people get two columns of squares, as a phone user expects.
 * - **Spotlight**, while someone else shares a screen: the screen fills the
 *   stage (shown whole, `contain`), and the cameras go in a strip beside it
 *   (below it on a box taller than wide). Your own screen stays a small tile:
 *   you are looking at the real one. A tile you pin takes the stage instead
 *   (the teacher's camera, or one of two shared screens).
 *
 * Every tile is positioned in the same container, whichever the layout, so a
 * tile never changes parent and its video never restarts when the layout does.
 */

export interface Box {
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The range of width ÷ height a tile may take to fill its cell. */
export interface AspectRange {
  min: number;
  max: number;
}

/** A layout of `cols` × `rows` cells, each tile `width` × `height`. */
export interface Fit {
  cols: number;
  rows: number;
  width: number;
  height: number;
}

/** What `arrange` needs of a tile. */
export interface Placeable {
  key: string;
  kind: 'camera' | 'screen';
  self: boolean;
}

export interface Arrangement {
  layout: 'gallery' | 'spotlight';
  rects: Map<string, Rect>;
}

/** Space between tiles, in CSS pixels. */
export const GAP = 8;

const WIDE = 16 / 9;
/** Thumbnails and a pinned camera: 4:3 to 16:9, whatever the box. */
const STRIP: AspectRange = { min: 4 / 3, max: WIDE };
/** A shared screen fills the stage and is letterboxed inside it. */
const SCREEN: AspectRange = { min: 0.25, max: 4 };

/** Camera tiles on a box taller than wide. */
const SQUARE: AspectRange = { min: 1, max: 1 };

/** How far a camera tile may be cut to fill a box of this shape. */
function cameraAspect(box: Box): AspectRange {
  return box.height > box.width ? SQUARE : { min: 4 / 3, max: WIDE };
}

/**
 * The biggest tiles `n` of which fit in `box`, `gap` apart, each with a
 * width ÷ height in `aspect`. Among equal sizes, the one with fewer empty
 * cells, then fewer columns.
 */
export function fitTiles(n: number, box: Box, gap: number, aspect: AspectRange): Fit {
  const count = Math.max(1, n);
  let best: Fit = { cols: 1, rows: count, width: 0, height: 0 };
  let bestArea = -1;
  let bestEmpty = Infinity;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const cellW = (box.width - (cols - 1) * gap) / cols;
    const cellH = (box.height - (rows - 1) * gap) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    const ratio = Math.min(aspect.max, Math.max(aspect.min, cellW / cellH));
    const width = Math.floor(Math.min(cellW, cellH * ratio));
    const height = Math.floor(width / ratio);
    const area = width * height;
    const empty = cols * rows - count;
    if (area > bestArea || (area === bestArea && empty < bestEmpty)) {
      best = { cols, rows, width, height };
      bestArea = area;
      bestEmpty = empty;
    }
  }
  return best;
}

/** `keys` laid out by `fit`, centred in `area`, the last row centred too. */
function place(keys: readonly string[], area: Rect, fit: Fit, gap: number, into: Map<string, Rect>): void {
  const rows = Math.ceil(keys.length / fit.cols);
  const usedH = rows * fit.height + (rows - 1) * gap;
  const top = area.y + Math.max(0, (area.height - usedH) / 2);
  keys.forEach((key, i) => {
    const row = Math.floor(i / fit.cols);
    const inRow = Math.min(fit.cols, keys.length - row * fit.cols);
    const rowW = inRow * fit.width + (inRow - 1) * gap;
    const left = area.x + Math.max(0, (area.width - rowW) / 2);
    into.set(key, {
      x: Math.round(left + (i % fit.cols) * (fit.width + gap)),
      y: Math.round(top + row * (fit.height + gap)),
      width: fit.width,
      height: fit.height,
    });
  });
}

function gallery(keys: readonly string[], area: Rect, gap: number, aspect: AspectRange, into: Map<string, Rect>): void {
  if (keys.length === 0) return;
  place(keys, area, fitTiles(keys.length, area, gap, aspect), gap, into);
}

/** The strip beside (or below) the stage: about a fifth of the box. */
function stripSize(box: Box): { side: 'right' | 'bottom'; size: number } {
  if (box.width >= box.height) {
    return { side: 'right', size: Math.round(Math.min(320, Math.max(140, box.width * 0.22))) };
  }
  return { side: 'bottom', size: Math.round(Math.min(260, Math.max(96, box.height * 0.28))) };
}

/** What takes the stage: the pinned tile if it is there, else others' screens. */
function staged(tiles: readonly Placeable[], pinned: string | null): Set<string> {
  if (pinned !== null && tiles.some((t) => t.key === pinned)) return new Set([pinned]);
  return new Set(tiles.filter((t) => t.kind === 'screen' && !t.self).map((t) => t.key));
}

/** Places `tiles` in `box`; `pinned` is the key of a tile put on the stage. */
export function arrange(tiles: readonly Placeable[], box: Box, pinned: string | null = null, gap = GAP): Arrangement {
  const rects = new Map<string, Rect>();
  const whole: Rect = { x: 0, y: 0, width: box.width, height: box.height };
  const stageKeys = staged(tiles, pinned);
  const shown = tiles.filter((t) => stageKeys.has(t.key));
  const rest = tiles.filter((t) => !stageKeys.has(t.key)).map((t) => t.key);
  if (shown.length === 0 || box.width <= 0 || box.height <= 0) {
    gallery(
      tiles.map((t) => t.key),
      whole,
      gap,
      cameraAspect(box),
      rects,
    );
    return { layout: 'gallery', rects };
  }
  const { side, size } = stripSize(box);
  let stage: Rect;
  let strip: Rect;
  if (rest.length === 0) {
    // Alone, and pinned: no strip to make room for.
    stage = whole;
    strip = whole;
  } else if (side === 'right') {
    stage = { x: 0, y: 0, width: box.width - size - gap, height: box.height };
    strip = { x: box.width - size, y: 0, width: size, height: box.height };
  } else {
    stage = { x: 0, y: 0, width: box.width, height: box.height - size - gap };
    strip = { x: 0, y: box.height - size, width: box.width, height: size };
  }
  // A screen is shown whole; a pinned camera is cut no further than 4:3, as
  // the one picture everyone looks at (a square stage would lose its sides).
  const aspect = shown.every((t) => t.kind === 'screen') ? SCREEN : STRIP;
  gallery(
    shown.map((t) => t.key),
    stage,
    gap,
    aspect,
    rects,
  );
  gallery(rest, strip, gap, STRIP, rects);
  return { layout: 'spotlight', rects };
}
