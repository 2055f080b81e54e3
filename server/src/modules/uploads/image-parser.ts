import { mkdirSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { tooLarge } from './uploads.service.js';

/**
 * Picture uploads arrive as the file itself (any image/* type or application/octet-stream; the content decides
 * what it is). Bytes beyond the limit are read and dropped, so the client gets the 413 with its reason instead of a
 * broken connection.
 */
export function registerImageParser(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addContentTypeParser(
    /^(image\/|application\/octet-stream)/,
    { bodyLimit: Math.max(maxBytes * 4, 64 * 1024 * 1024) },
    (_request, payload, done) => {
      const chunks: Buffer[] = [];
      let size = 0;
      payload.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      payload.on('end', () =>
        size > maxBytes ? done(tooLarge(maxBytes)) : done(null, Buffer.concat(chunks)),
      );
      payload.on('error', (err) => done(err));
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
    },
  });
}
