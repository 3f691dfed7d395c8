/**
 * How many columns the call grid has for `n` tiles: as square as possible
 * on a wide screen, and at most two on a narrow (phone) one. Pure, so the
 * layout rule is tested without a browser.
 */
export interface GridShape {
  cols: number;
  rows: number;
  narrowCols: number;
  narrowRows: number;
}

export function gridShape(n: number): GridShape {
  const count = Math.max(1, n);
  const cols = Math.ceil(Math.sqrt(count));
  const narrowCols = count <= 2 ? 1 : 2;
  return {
    cols,
    rows: Math.ceil(count / cols),
    narrowCols,
    narrowRows: Math.ceil(count / narrowCols),
  };
}

/** One or two letters for a camera-off placeholder: "Mina" → "M", "Jun Park" → "JP". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (w: string | undefined) => (w ? (Array.from(w)[0] ?? '') : '');
  const letters = words.length >= 2 ? first(words[0]) + first(words[1]) : first(words[0]);
  return letters.toUpperCase() || '?';
}

/** A stable background hue per participant, so placeholders are told apart. */
export function hueOf(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return h;
}
