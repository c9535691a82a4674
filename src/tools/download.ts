import { createHash } from 'node:crypto';
import { describeOverCap, describeStatus } from '../proxy/answer.js';
import { observe, type Observation } from '../proxy/fetch.js';
import { sleep } from '../util/time.js';

/** One place a release archive may be fetched from. */
export interface ArchiveSource {
  url: string;
  /** The URL with credentials masked, for logs and the summary. */
  display: string;
  authorization?: string;
}

export interface DownloadPolicy {
  /** Attempts per source for transient failures (5xx, 429, network errors, stalls). */
  attempts: number;
  /** Wait before the n-th retry is `backoffMs · 2^(n-1)`. */
  backoffMs: number;
  /** Whole download, per attempt. */
  timeoutMs: number;
  /** Give up on an attempt once nothing has arrived for this long. */
  idleMs: number;
  /** Bytes an archive may have: golangci-lint's are tens of MiB. */
  maxBytes: number;
}

export const DEFAULT_DOWNLOAD_POLICY: DownloadPolicy = {
  attempts: 3,
  backoffMs: 1000,
  timeoutMs: 10 * 60_000,
  idleMs: 30_000,
  maxBytes: 512 * 1024 * 1024,
};

export interface SourceFailure {
  source: string;
  reason: string;
  /** Set when the source served bytes whose hash differs from the expected one. */
  actualSha256?: string;
}

export interface VerifiedArchive {
  /** The archive's bytes, already checked against the expected sha256. */
  body: Buffer;
  source: ArchiveSource;
  /** Sources that failed before this one, and why. */
  failures: SourceFailure[];
}

/** Thrown when no source served the expected bytes. */
export class ArchiveDownloadError extends Error {
  constructor(
    readonly what: string,
    readonly expectedSha256: string,
    readonly failures: SourceFailure[],
  ) {
    super(
      [
        `Could not download a verified ${what} from any of ${failures.length} source(s); nothing was installed.`,
        `Expected sha256: ${expectedSha256}`,
        ...failures.map(
          (f) =>
            `  - ${f.source}: ${f.reason}${f.actualSha256 ? ` (got sha256 ${f.actualSha256})` : ''}`,
        ),
      ].join('\n'),
    );
    this.name = 'ArchiveDownloadError';
  }
}

type AttemptOutcome =
  | { ok: true; body: Buffer }
  | { ok: false; reason: string; transient: boolean; actualSha256?: string };

/**
 * Fetches the archive from each source in turn until one serves bytes with the expected sha256.
 * Transient failures are retried with backoff on the same source; wrong bytes and permanent
 * errors move on to the next source at once, since retrying them would get the same answer.
 * Nothing reaches the disk before it is verified.
 */
export async function downloadVerified(
  what: string,
  sources: ArchiveSource[],
  expectedSha256: string,
  log: (line: string) => void,
  policy: DownloadPolicy = DEFAULT_DOWNLOAD_POLICY,
): Promise<VerifiedArchive> {
  const failures: SourceFailure[] = [];
  for (const source of sources) {
    let outcome: AttemptOutcome | undefined;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (attempt > 1) await sleep(policy.backoffMs * 2 ** (attempt - 2));
      outcome = judge(
        await observe(source.url, {
          authorization: source.authorization,
          timeoutMs: policy.timeoutMs,
          idleMs: policy.idleMs,
          maxBytes: policy.maxBytes,
        }),
        expectedSha256,
      );
      if (outcome.ok) return { body: outcome.body, source, failures };
      log(`${source.display}: ${outcome.reason} (attempt ${attempt}/${policy.attempts})`);
      if (!outcome.transient) break;
    }
    if (outcome && !outcome.ok) {
      failures.push({
        source: source.display,
        reason: outcome.reason,
        actualSha256: outcome.actualSha256,
      });
    }
  }
  throw new ArchiveDownloadError(what, expectedSha256, failures);
}

function judge(o: Observation, expectedSha256: string): AttemptOutcome {
  if (o.kind === 'error') {
    // A redirect that cannot be followed leads to the same place next time.
    return { ok: false, reason: `${o.code}: ${o.message}`, transient: o.code !== 'redirect' };
  }
  if (o.status !== 200) {
    return {
      ok: false,
      reason: describeStatus(o),
      transient: o.status >= 500 || o.status === 429 || o.status === 408,
    };
  }
  if (o.overCap) return { ok: false, reason: describeOverCap(o.overCap), transient: false };
  if (!o.complete) {
    return { ok: false, reason: `download stalled after ${o.body.length} bytes`, transient: true };
  }
  const actual = createHash('sha256').update(o.body).digest('hex');
  if (actual !== expectedSha256) {
    return {
      ok: false,
      reason: `sha256 mismatch (${o.body.length} bytes)`,
      transient: false,
      actualSha256: actual,
    };
  }
  return { ok: true, body: o.body };
}
