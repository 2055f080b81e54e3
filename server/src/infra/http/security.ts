import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from './openapi.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The inline scripts of the built pages this server serves (the H5 app's root-font-size snippet), as CSP hashes:
 * allowed by their exact content, so no other inline script runs. Read at start-up, so a rebuild needs a restart.
 */
export function inlineScriptHashes(
  pages = ['miniapp/dist/h5/index.html', 'admin/dist/index.html'],
): string[] {
  const hashes = new Set<string>();
  for (const page of pages) {
    const file = join(repoRoot, page);
    if (!existsSync(file)) continue;
    const html = readFileSync(file, 'utf8');
    for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
      const body = match[1] ?? '';
      if (body.trim()) hashes.add(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    }
  }
  return [...hashes];
}

/**
 * The security headers on every answer (API, console, H5 app, API docs): a CSP that fits the console (antd writes
 * <style> elements, so inline styles are allowed; scripts only from this origin) and the H5 app (its one inline
 * script by hash), no framing, nosniff, no referrer. Pictures may come from a CDN or any https address (mall items).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  // helmet's middleware, built once: @fastify/helmet rebuilt it (parsing the CSP) on every request.
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes()],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Item pictures at /uploads/ are read from other origins (a CDN, the mini-program): see serveUploads.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) =>
      setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
    );
}

/**
 * The OpenAPI document and Swagger UI at /api/docs: on in development, off in production (NODE_ENV=production)
 * unless API_DOCS=true; API_DOCS=false turns them off anywhere.
 */
export async function registerApiDocs(
  app: NestFastifyApplication,
  enabled: boolean,
): Promise<void> {
  if (!enabled) return;
  await app.register(swagger, {
    mode: 'static',
    specification: { document: buildOpenApiDocument() as never },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { validatorUrl: null } });
}
