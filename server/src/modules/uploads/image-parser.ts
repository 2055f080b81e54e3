import { mkdirSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { tooLarge } from './uploads.service.js';

/**
 * Picture uploads arrive as the file itself (any image/* type or application/octet-stream; the content decides
 * what it is). Bytes beyond the limit are read and dropped, so the client gets the 413 with its reason instead of a
 * broken connection; past four times the limit (at least 8 MB) the connection is dropped instead.
 */
export function registerImageParser(fastify: FastifyInstance, maxBytes: number): void {
  // Beyond this the sender is not uploading a picture: stop reading and drop the connection.
  const hardLimit = Math.max(maxBytes * 4, 8 * 1024 * 1024);
  fastify.addContentTypeParser(
    /^(image\/|application\/octet-stream)/,
    { bodyLimit: hardLimit },
    (_request, payload, done) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let answered = false;
      const answer = (err: Error | null, body?: Buffer) => {
        if (answered) return;
        answered = true;
        done(err, body);
      };
      payload.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
        else if (size > hardLimit) payload.destroy();
      });
      payload.on('end', () =>
        size > maxBytes ? answer(tooLarge(maxBytes)) : answer(null, Buffer.concat(chunks)),
      );
      payload.on('error', (err) => answer(err));
      payload.on('close', () => {
        if (size > hardLimit) answer(tooLarge(maxBytes));
      });
    },
  );
}

/** Uploaded pictures at /uploads/<random name>: immutable, so cached for a year (a CDN may sit in front). */
export async function serveUploads(fastify: FastifyInstance, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/uploads/',
    decorateReply: false,
    index: false,
    list: false,
    maxAge: '365d',
    immutable: true,
    setHeaders: (res) => {
      res.setHeader('x-content-type-options', 'nosniff');
      // Read from other origins (a CDN in front, the H5 app elsewhere): the security headers say same-origin.
      res.setHeader('cross-origin-resource-policy', 'cross-origin');
    },
  });
}
