// How large a bundle may be. One number caps the archive as it arrives and all it unpacks to,
// so that neither a huge download nor a small archive that inflates can fill the runner's disk.
import { formatSize } from '../util/size.js';

export interface BundleCap {
  bytes: number;
  /** The input or flag that set it, named in every refusal so the user knows what to raise. */
  setting: string;
}

/** The number of entries an archive may hold before its manifest says how many it has. */
export const MAX_BUNDLE_ENTRIES = 1_000_000;

/**
 * A pax header or GNU long name: a bundle's paths are module paths and file names, never more
 * than a few hundred bytes; anything near this is not a bundle.
 */
export const MAX_BUNDLE_HEADER_BYTES = 8 * 1024;

/** `<what>, over the cap of 2 GiB; raise offline-bundle-max-size if …`. */
export function overCap(what: string, cap: BundleCap): string {
  return `${what}, over the cap of ${formatSize(cap.bytes)}; raise ${cap.setting} if the bundle is meant to be this large`;
}
