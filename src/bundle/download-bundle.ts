import fs from 'node:fs';
import { overCap, type BundleCap } from './cap.js';
import type { Mirror } from '../proxy/mirror.js';
import { observe, type RequestProgress } from '../proxy/fetch.js';
import { sleep } from '../util/time.js';

/** How hard a bundle download tries; a bundle is one large file, fetched once per job. */
export interface BundleDownloadPolicy {
  attempts: number;
  /** Wait before retry n is `backoffMs · 2^(n-1)`. */
  backoffMs: number;
  /** The whole download, per attempt. */
  timeoutMs: number;
  /** Give up on an attempt once nothing has arrived for this long. */
  idleMs: number;
}

export const BUNDLE_DOWNLOAD_POLICY: BundleDownloadPolicy = {
  attempts: 3,
  backoffMs: 2000,
  timeoutMs: 20 * 60_000,
  idleMs: 60_000,
};

/**
 * Streams the bundle at `url` into `file`, retrying network errors, stalls and 5xx answers.
 * The bytes land under a temporary name and are renamed only when complete, so a failed
 * download leaves nothing that could be taken for a bundle. A bundle over `cap` (by its
 * Content-Length, or once more than that has arrived) stops the download at once, with no
 * retry: nothing past the cap is written. Throws naming the URL (masked) and every attempt's
 * outcome.
 */
export async function downloadBundle(
  url: Mirror,
  file: string,
  cap: BundleCap,
  log: (line: string) => void,
  policy: BundleDownloadPolicy = BUNDLE_DOWNLOAD_POLICY,
): Promise<{ bytes: number }> {
  const partial = `${file}.partial`;
  const outcomes: string[] = [];
  try {
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (attempt > 1) await sleep(policy.backoffMs * 2 ** (attempt - 2));
      const { outcome, bytes } = await attemptDownload(url, partial, cap, policy);
      if ('done' in outcome) {
        fs.renameSync(partial, file);
        return { bytes };
      }
      outcomes.push(`attempt ${attempt}: ${outcome.reason}`);
      log(`${url.display}: ${outcome.reason} (attempt ${attempt}/${policy.attempts})`);
      if (!outcome.retry) break;
    }
  } finally {
    fs.rmSync(partial, { force: true });
  }
  throw new Error(
    `offline-bundle: could not download ${url.display} (${outcomes.join('; ')}); nothing from it was used`,
  );
}

type AttemptOutcome = { done: true } | { reason: string; retry: boolean };

/** One attempt at the download, into `partial`; says whether another attempt could help. */
async function attemptDownload(
  url: Mirror,
  partial: string,
  cap: BundleCap,
  policy: BundleDownloadPolicy,
): Promise<{ outcome: AttemptOutcome; bytes: number }> {
  const out = fs.openSync(partial, 'w');
  let bytes = 0;
  const progress: RequestProgress = { bytes: 0, done: false };
  try {
    const o = await observe(url.requestUrl, {
      authorization: url.authorization,
      timeoutMs: policy.timeoutMs,
      idleMs: policy.idleMs,
      maxBytes: cap.bytes,
      checkLength: true,
      progress,
      onChunk: (chunk) =>
        new Promise<void>((resolve, reject) =>
          fs.write(out, chunk, (err) => {
            bytes += chunk.length;
            if (err) reject(err);
            else resolve();
          }),
        ),
    });
    if (o.kind === 'response' && o.overCap) throw tooLarge(url, cap, progress);
    // A redirect that cannot be followed is the server's answer, the same every time.
    if (o.kind === 'error') {
      return {
        outcome: { reason: `${o.code}: ${o.message}`, retry: o.code !== 'redirect' },
        bytes,
      };
    }
    if (o.status !== 200) {
      const retry = o.status >= 500 || o.status === 429 || o.status === 408;
      return { outcome: { reason: `HTTP ${o.status}`, retry }, bytes };
    }
    if (!o.complete)
      return { outcome: { reason: `stalled after ${bytes} bytes`, retry: true }, bytes };
    return { outcome: { done: true }, bytes };
  } finally {
    fs.closeSync(out);
  }
}

function tooLarge(url: Mirror, cap: BundleCap, progress: RequestProgress): Error {
  const length = progress.expectedBytes;
  const what =
    length !== undefined && length > cap.bytes
      ? `its Content-Length is ${length} bytes`
      : `more than ${cap.bytes} bytes arrived`;
  return new Error(
    `offline-bundle: could not download ${url.display}: ${overCap(what, cap)}; nothing from it was used`,
  );
}
