/**
 * Splits a list input the way the README promises: entries separated by
 * newlines or commas, trimmed, with blank entries dropped.
 */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
