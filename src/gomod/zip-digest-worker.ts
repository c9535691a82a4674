// The worker-thread half of ZipHasher (zip-hasher.ts). For each entry of a zip it is sent, it
// inflates the stored bytes (or takes them as they are) and reports the content's length and
// SHA-256; deciding what those mean, and everything else about the zip, stays on the main thread.
//
// Kept as source text and started with `eval: true`, so that the action bundled by ncc needs no
// file beside dist/main/index.js (ncc does not follow `new Worker(new URL(...))`), and so that
// the same code runs from the sources under Jest or tsx. CommonJS, which an eval'd worker runs
// as on every Node release the action supports.

/** Fields per entry in a job's `spans`: start, end, maxOutputLength (0: stored), chunkSize. */
export const SPAN_FIELDS = 4;
export const DIGEST_LENGTH = 32;

/** A job for the worker: the zip and where each located entry's stored bytes lie in it. */
export interface DigestJob {
  id: number;
  zip: Uint8Array;
  spans: Float64Array;
}

/**
 * The worker's answer to a job: each entry's content length and SHA-256 (DIGEST_LENGTH bytes
 * each, in entry order), or the first entry zlib failed to inflate.
 */
export type DigestReply =
  | { id: number; lengths: Float64Array; digests: Uint8Array }
  | { id: number; failed: { index: number; code?: string; message: string } };

export const DIGEST_WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const zlib = require('node:zlib');

const SPAN_FIELDS = ${SPAN_FIELDS};
const DIGEST_LENGTH = ${DIGEST_LENGTH};
// crypto.hash (Node 20.12 and later) skips building a Hash object for every small file.
const sha256 =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

parentPort.on('message', ({ id, zip, spans }) => {
  const count = spans.length / SPAN_FIELDS;
  const lengths = new Float64Array(count);
  const digests = new Uint8Array(count * DIGEST_LENGTH);
  for (let i = 0; i < count; i++) {
    const at = i * SPAN_FIELDS;
    let content = zip.subarray(spans[at], spans[at + 1]);
    if (spans[at + 2] > 0) {
      try {
        content = zlib.inflateRawSync(content, {
          maxOutputLength: spans[at + 2],
          chunkSize: spans[at + 3],
        });
      } catch (err) {
        // The first bad entry decides; the main thread words the error.
        parentPort.postMessage({ id, failed: { index: i, code: err.code, message: err.message } });
        return;
      }
    }
    lengths[i] = content.length;
    digests.set(sha256(content), i * DIGEST_LENGTH);
  }
  parentPort.postMessage({ id, lengths, digests }, [lengths.buffer, digests.buffer]);
});
`;
