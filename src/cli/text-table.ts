/** A table for a terminal: columns padded to their widest cell, two spaces apart. */
export function textTable(header: readonly string[], rows: readonly string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  return all
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - width(c))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Code points, not UTF-16 units, so a non-ASCII host name does not shift the columns. */
function width(text: string): number {
  return [...text].length;
}
