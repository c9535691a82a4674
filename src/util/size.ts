// Sizes as people write them in a workflow or on a command line: `2GiB`, `500 MB`, `1048576`.

const UNITS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
};

const FORMS =
  'give a whole number of bytes, or a number with a unit: KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB (powers of 1000), e.g. 2GiB';

/**
 * Bytes from `raw`, or the problem with it, naming `name` (the input or flag) and the value.
 * Units are case-insensitive; a fraction needs a unit (`1.5GiB`), bytes are whole.
 */
export function parseSize(name: string, raw: string): { bytes: number } | { problem: string } {
  const value = raw.trim();
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value);
  const unit = m && (m[2] ? UNITS[m[2].toLowerCase()] : 1);
  if (!m || !unit || (!m[2] && m[1].includes('.'))) {
    return { problem: `${name}: "${raw}" is not a size; ${FORMS}` };
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes < 1 || !Number.isSafeInteger(bytes)) {
    return {
      problem: `${name}: "${raw}" is out of range; use at least 1 byte and less than 8 PiB`,
    };
  }
  return { bytes };
}

/** `2 GiB`, `500 MB`, `1536 bytes`: the largest unit that says it exactly. */
export function formatSize(bytes: number): string {
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB', 'TB', 'GB', 'MB', 'KB']) {
    const size = UNITS[unit.toLowerCase()];
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}
