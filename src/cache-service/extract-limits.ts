/** What a cache archive may unpack to: the toolkit's own archives stay far below both. */
export interface ExtractLimits {
  maxBytes: number;
  maxMembers: number;
}

const GiB = 1024 ** 3;
/** A module snapshot barely compresses; a build cache shrinks about fivefold. */
const MAX_RATIO = 20;
/** Left free on the runner's disk whatever an archive says, so later steps still have room. */
export const KEEP_FREE_BYTES = GiB;

/**
 * Caps an extraction by the archive's compressed size (a decompression bomb unpacks to far
 * more than any cache does) and by the disk's free space, both known before the first byte.
 */
export function extractLimits(
  compressedBytes: number | undefined,
  freeBytes: number | undefined,
): ExtractLimits {
  const byRatio =
    compressedBytes === undefined ? 20 * GiB : Math.max(GiB, MAX_RATIO * compressedBytes);
  const byDisk =
    freeBytes === undefined ? Number.POSITIVE_INFINITY : Math.max(0, freeBytes - KEEP_FREE_BYTES);
  return { maxBytes: Math.min(byRatio, byDisk), maxMembers: 2_000_000 };
}
