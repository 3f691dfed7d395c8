/** What a tile shows while the camera is off: initials on a colour of their own. */

/** An aside in brackets, such as "(no camera/mic)" or "[guest]": not part of the name. */
const ASIDE = /[([{（［【][^)\]}）］】]*[)\]}）］】]?/gu;
/** The first letter or digit of a word (with its combining marks), in any script. */
const INITIAL = /[\p{L}\p{N}]\p{M}*/u;

/**
 * One or two letters for a camera-off placeholder: "Mina" → "M", "Jun Park" →
 * "JP", "Eun (no camera/mic)" → "E". Only letters and digits count (any
 * script: "김 민아" → "김민"), so punctuation and emoji never become an
 * initial, and a word without any is skipped; an aside in brackets is skipped
 * unless it is all there is.
 */
export function initials(name: string): string {
  const firsts = (source: string) =>
    source
      .split(/\s+/)
      .map((word) => word.match(INITIAL)?.[0])
      .filter((c): c is string => c !== undefined);
  const outside = firsts(name.replace(ASIDE, ' '));
  const chosen = outside.length > 0 ? outside : firsts(name);
  return chosen.slice(0, 2).join('').toUpperCase() || '?';
}

/** A stable background hue per participant, so placeholders are told apart. */
export function hueOf(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + (c.codePointAt(0) ?? 0)) % 360;
  return h;
}
