import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../infra/http/domain-error.js';

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * How much of a refused body is still read (and dropped) so the client, which usually writes the whole body before
 * reading the answer, gets the 413 instead of a broken connection; past this the answer goes at once.
 */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/** The 413 an import over IMPORT_MAX_BYTES gets, in the one error shape. */
export const importTooLarge = (maxBytes: number) =>
  new DomainError(
    'PAYLOAD_TOO_LARGE',
    `导入文件不能超过 ${megabytes(maxBytes)}，请拆分成多个文件后分别导入`,
    { maxBytes },
  );

/** Reads and drops the rest of a refused body (up to DRAIN_LIMIT), then refuses. */
function refuseAfterDrain(payload: Readable, refuse: () => void): void {
  let dropped = 0;
  let refused = false;
  const once = () => {
    if (refused) return;
    refused = true;
    refuse();
  };
  payload.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT) {
      payload.pause();
      once();
    }
  });
  payload.once('end', once);
  payload.once('error', once);
  payload.resume();
}

/**
 * CSV uploads (imports) reach their handler as a stream, never buffered whole, and never larger than `maxBytes`
 * (IMPORT_MAX_BYTES): a declared Content-Length far over the cap is refused before a byte is read; a body without
 * one (chunked) is counted as it streams and cut off at the cap. Either way the answer is 413 in the error shape.
 */
export function registerCsvParser(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { bodyLimit: maxBytes },
    (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        if (declared - maxBytes > DRAIN_LIMIT) done(importTooLarge(maxBytes));
        else refuseAfterDrain(payload, () => done(importTooLarge(maxBytes)));
        return;
      }
      let bytes = 0;
      const capped = new Transform({
        transform(chunk: Buffer, _enc, callback: TransformCallback) {
          bytes += chunk.length;
          if (bytes <= maxBytes) {
            callback(null, chunk);
            return;
          }
          callback();
          payload.unpipe(capped);
          refuseAfterDrain(payload, () => capped.destroy(importTooLarge(maxBytes)));
        },
      });
      payload.on('error', (err) => capped.destroy(err));
      done(null, payload.pipe(capped));
    },
  );
  // The rest of a refused body past the drain limit is never read: the connection closes after the 413 instead of
  // carrying the unread bytes into the next request (which would hang on a kept-alive connection).
  fastify.addHook('onSend', async (request, reply) => {
    if (
      reply.statusCode === 413 &&
      /^(text|application)\/csv/.test(request.headers['content-type'] ?? '')
    )
      void reply.header('connection', 'close');
  });
}
