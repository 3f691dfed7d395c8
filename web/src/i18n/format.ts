/** Number formatting shared by the languages. */

/** "1.5 MB" and the like; `units` are the language's words for B, KB, MB, GB. */
export function formatBytes(n: number, units: readonly [string, string, string, string]): string {
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const shown = i === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${units[i]}`;
}
