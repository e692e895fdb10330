// The web UI on the HTTP server, registered in this one place: the page at `/` and its assets under
// `/assets/<version>/` (a hash of their contents, so they are cached for a year and a new build is a
// new URL), every response with strict security headers.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The page's policy. Scripts only from our own files, never inline. Two allowances exist only for the
 * mail frame: a `srcdoc` frame inherits its parent's policy (CSP3 policy container) on top of its own,
 * so the parent must allow what the frame may do: the mail's inline styles, and https: images once the
 * viewer asks for remote images. The frame's own policy (web/src/mail-frame.ts) narrows both again;
 * the UI itself builds no markup from data and sets no inline style.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "img-src 'self' data: https:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** The package's root: this file is src/http/web-ui.ts or dist/http/web-ui.js. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WebUiFiles {
  /** The browser modules compiled by `tsc -p web/tsconfig.json`. */
  readonly scripts: string;
  /** index.html, styles, icon. */
  readonly statics: string;
}

export const WEB_UI_FILES: WebUiFiles = {
  scripts: join(PACKAGE_ROOT, 'dist', 'web'),
  statics: join(PACKAGE_ROOT, 'web', 'static'),
};

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((name) => join(directory, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** A hash of every asset's path and bytes: the version in asset URLs. */
export function assetVersion(files: WebUiFiles): string {
  const hash = createHash('sha256');
  for (const directory of [files.scripts, files.statics])
    for (const path of filesUnder(directory))
      hash.update(relative(directory, path)).update('\0').update(readFileSync(path));
  return hash.digest('hex').slice(0, 16);
}

function secure(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
}

/** Registers the UI on `scope`, an encapsulated context of its own (the security hook stays in it). */
export async function webUiRoutes(scope: FastifyInstance, files: WebUiFiles = WEB_UI_FILES): Promise<void> {
  scope.addHook('onRequest', async (_request, reply) => secure(reply));
  if (!existsSync(join(files.scripts, 'main.js'))) {
    scope.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built: run `npm run build` (npm ci does it through `prepare`).'),
    );
    return;
  }
  const version = assetVersion(files);
  const prefix = `/assets/${version}`;
  const page = readFileSync(join(files.statics, 'index.html'), 'utf8').replaceAll('{{ASSETS}}', prefix);
  scope.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page),
  );
  await scope.register(fastifyStatic, {
    root: [files.scripts, files.statics],
    prefix: `${prefix}/`,
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: false,
    etag: true,
    lastModified: false,
    setHeaders: (reply) => void reply.header('cache-control', 'public, max-age=31536000, immutable'),
  });
}
