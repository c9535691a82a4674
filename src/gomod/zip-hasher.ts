// The `h1:` hash of many module zips at once, on every core. Inflating and hashing is nearly all
// the work; handing it over a zip at a time (not an entry at a time: a thread handover costs
// more than inflating a small file, and real modules are mostly small files) lets worker threads
// do it while this thread reads the zips, checks their structure and sums up.
//
// No CRC-32 is computed: the caller compares the result with go.sum, and an `h1:` match proves
// every byte of content far more strongly than a checksum would. A zip whose content does not
// match is still refused, by that comparison or earlier by the structure checks here.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { hash1, sha256Hex, type FileDigest } from './dirhash.js';
import {
  DIGEST_LENGTH,
  DIGEST_WORKER_SOURCE,
  SPAN_FIELDS,
  type DigestJob,
  type DigestReply,
} from './zip-digest-worker.js';
import {
  checkLength,
  decompress,
  inflateError,
  inflateOptions,
  listZip,
  locateEntry,
  type CentralHeader,
  type EntryLocation,
} from './zip.js';

/** Length and hex SHA-256 of each located entry's content, or the inflate failure. */
type Digests = { lengths: ArrayLike<number>; sha256: string[] } | { error: Error };

interface Located {
  index: number;
  header: CentralHeader;
  location: EntryLocation;
}

const EMPTY_SHA256 = sha256Hex(Buffer.alloc(0));
/** Past a few workers, this thread's own share (reading, parsing, summing up) is the limit. */
const MAX_WORKERS = 4;

/** Threads that can inflate and hash at once: one per core. */
export function defaultWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : 1;
  return Math.max(1, Math.min(cores, MAX_WORKERS));
}

export class ZipHasher {
  private readonly workerCount: number;
  private workers: WorkerLane[] | undefined;
  /** Zips hashed by a worker thread and in place on this thread, for tests and tuning. */
  readonly stats = { inWorkers: 0, inPlace: 0 };

  /** `workers`: worker threads to start on first use; 0 hashes everything in place. */
  constructor(workers = defaultWorkers()) {
    this.workerCount = workers;
  }

  /**
   * The `h1:` hash of a module zip's content, as dirhash.HashZip computes it. Rejects a zip that
   * hashZip would refuse, except for CRC-32 mismatches: the hash stands in for those.
   */
  async hash(buf: Buffer): Promise<string> {
    const headers = listZip(buf);
    const located: Located[] = [];
    headers.forEach((header, index) => {
      const location = locateEntry(buf, header);
      if (location) located.push({ index, header, location });
    });
    const digests = (await this.digestInWorker(buf, located)) ?? this.digestInPlace(located);
    if ('error' in digests) throw digests.error;
    const files: FileDigest[] = headers.map((h) => ({ name: h.name, sha256: EMPTY_SHA256 }));
    located.forEach(({ index, header }, i) => {
      checkLength(header, digests.lengths[i]);
      files[index].sha256 = digests.sha256[i];
    });
    return hash1(files);
  }

  /** Stops the worker threads; the hasher starts new ones if used again. */
  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((w) => w.close()));
  }

  private digestInPlace(located: Located[]): Digests {
    this.stats.inPlace++;
    const lengths: number[] = [];
    const sha256: string[] = [];
    for (const { header, location } of located) {
      let content: Buffer;
      try {
        content = decompress(location.raw, header);
      } catch (error) {
        return { error: error as Error };
      }
      lengths.push(content.length);
      sha256.push(sha256Hex(content));
    }
    return { lengths, sha256 };
  }

  /** Undefined when no worker can take the job, or one failed before finishing it. */
  private async digestInWorker(buf: Buffer, located: Located[]): Promise<Digests | undefined> {
    const lane = this.idlestWorker();
    if (!lane) return undefined;
    // Unsupported methods are found here, before the job is sent, as readZip finds them.
    const spans = new Float64Array(located.length * SPAN_FIELDS);
    for (const [i, { header, location }] of located.entries()) {
      const options = inflateOptions(header);
      spans.set(
        [location.start, location.end, options?.maxOutputLength ?? 0, options?.chunkSize ?? 0],
        i * SPAN_FIELDS,
      );
    }
    const reply = await lane.run(buf, spans);
    if (!reply) return undefined;
    this.stats.inWorkers++;
    if ('failed' in reply) {
      const { index, code, message } = reply.failed;
      const cause = Object.assign(new Error(message), { code });
      return { error: inflateError(cause, located[index].header) };
    }
    const digests = Buffer.from(reply.digests.buffer);
    const sha256 = located.map((_, i) =>
      digests.toString('hex', i * DIGEST_LENGTH, (i + 1) * DIGEST_LENGTH),
    );
    return { lengths: reply.lengths, sha256 };
  }

  private idlestWorker(): WorkerLane | undefined {
    if (this.workerCount === 0) return undefined;
    this.workers ??= Array.from({ length: this.workerCount }, () => new WorkerLane());
    const usable = this.workers.filter((w) => !w.broken);
    if (usable.length === 0) return undefined;
    return usable.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }
}

/** One worker thread and the jobs sent to it. */
class WorkerLane {
  readonly pending = new Map<number, (reply: DigestReply | undefined) => void>();
  broken = false;
  private readonly worker: Worker;
  private nextId = 0;

  constructor() {
    this.worker = new Worker(DIGEST_WORKER_SOURCE, { eval: true });
    // Never what keeps the process alive, should a hasher be left open.
    this.worker.unref();
    this.worker.on('message', (reply: DigestReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    // A worker that cannot start or dies leaves its jobs, and later ones, to this thread.
    const fail = (): void => {
      this.broken = true;
      for (const resolve of this.pending.values()) resolve(undefined);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  /** Undefined if the worker failed before replying. */
  run(zip: Buffer, spans: Float64Array<ArrayBuffer>): Promise<DigestReply | undefined> {
    if (this.broken) return Promise.resolve(undefined);
    const id = this.nextId++;
    const job: DigestJob = { id, zip, spans };
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      // The zip is copied, not transferred: it belongs to the caller.
      this.worker.postMessage(job, [spans.buffer]);
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    await this.worker.terminate();
  }
}
