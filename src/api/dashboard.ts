// The dashboard at /: one HTML page, its own ES modules and CSS (src/web/dashboard, copied into
// dist/web/dashboard by the build) and its runtime, htm's standalone Preact build served from the
// package as /ui/vendor/preact-htm.js: no build step, no CDN. Everything is read once at start,
// relative to this module, so tsx and dist serve the same files. The pages run under a strict CSP
// (scripts from navis only, no inline code); the API key lives in the tab's sessionStorage.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NavisError } from '../errors.js';

const DASHBOARD_DIR = fileURLToPath(new URL('../web/dashboard/', import.meta.url));
/** htm's package exports its standalone build ('htm/preact/standalone' → standalone.mjs, the same bytes as standalone.module.js). */
const PREACT_HTM = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('htm/preact/standalone'))),
  'standalone.module.js',
);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Scripts and styles from navis only; screenshots arrive as data: URLs; the live view (same
 * origin, /live/{id}) is the one page it frames; nothing frames the dashboard.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  type: string;
  body: Buffer;
}

/** The dashboard's files by URL path (/ui/<name>), read once. */
function readAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of fs.readdirSync(DASHBOARD_DIR, { recursive: true, encoding: 'utf8' })) {
    const type = TYPES[path.extname(name)];
    const file = path.join(DASHBOARD_DIR, name);
    if (!type || !fs.statSync(file).isFile()) continue;
    assets.set(`/ui/${name.split(path.sep).join('/')}`, { type, body: fs.readFileSync(file) });
  }
  assets.set('/ui/vendor/preact-htm.js', { type: TYPES['.js'], body: fs.readFileSync(PREACT_HTM) });
  return assets;
}

export async function dashboardRoutes(app: FastifyInstance) {
  const assets = readAssets();
  const send = (reply: FastifyReply, asset: Asset) =>
    reply
      .type(asset.type)
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', DASHBOARD_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .send(asset.body);

  app.get('/', { schema: { hide: true } }, async (_req, reply) => send(reply, assets.get('/ui/index.html')!));

  app.get('/ui/*', { schema: { hide: true } }, async (req, reply) => {
    const asset = assets.get(req.url.split('?')[0]);
    if (!asset) throw new NavisError('NOT_FOUND', `No dashboard file ${req.url.split('?')[0]}. The dashboard is at /.`);
    return send(reply, asset);
  });
}
