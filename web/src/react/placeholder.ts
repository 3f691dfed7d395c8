/** What a tile shows while the camera is off: initials on a colour of their own. */

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
