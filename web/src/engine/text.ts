/**
 * Text rules shared by the engine and the UI, matching the server's: lengths
 * count Unicode scalar values (what Rust's `chars()` counts), not UTF-16 units,
 * so "👋" is one character here as it is on the server.
 */

export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A nickname or room name: trimmed, then 1..=max characters. */
export function isValidName(value: string, max: number): boolean {
  const n = charCount(value.trim());
  return n >= 1 && n <= max;
}

/** A chat message is not trimmed, but must not be blank. */
export function isValidMessage(text: string, max: number): boolean {
  return text.trim() !== '' && charCount(text) <= max;
}
