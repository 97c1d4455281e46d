// Serves the fixture pages in test/fixtures on 127.0.0.1, plus a few dynamic routes:
//   /set-cookie?name=&value=&maxAge=   sets a cookie (no maxAge: a session cookie)
//   /cookies                            echoes the request's Cookie header as text
// and any routes a test file passes in (by path, any method), ahead of the files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.txt': 'text/plain',
};

/** A dynamic route of one test file: answers every method on its path. */
export type FixtureRoute = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

/**
 * A search results page served a little late, as a real search is (for test/fixtures/search-form.html):
 * a step that did not wait for the navigation it caused would read the old page.
 */
export function slowSearchResults(items: string[]): FixtureRoute {
  return async (_req, res, url) => {
    await new Promise((resolve) => setTimeout(resolve, 80));
    const q = url.searchParams.get('q') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Results</title><h1>Results for ${q.replace(/[<&]/g, '')}</h1><ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>`,
    );
  };
}

export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

export async function startFixtureServer(opts: { routes?: Record<string, FixtureRoute> } = {}): Promise<FixtureServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const route = opts.routes?.[url.pathname];
    if (route) {
      Promise.resolve()
        .then(() => route(req, res, url))
        .catch((error: Error) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fixture route ${url.pathname} failed: ${error.message}`);
        });
      return;
    }
    if (url.pathname === '/set-cookie') {
      const name = url.searchParams.get('name') ?? 'navis';
      const value = url.searchParams.get('value') ?? '1';
      const maxAge = url.searchParams.get('maxAge');
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': `${name}=${value}; Path=/${maxAge ? `; Max-Age=${maxAge}` : ''}`,
      });
      return res.end(`<!doctype html><title>cookie set</title><p>set ${name}</p>`);
    }
    if (url.pathname === '/cookies') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(req.headers.cookie ?? '');
    }
    const file = path.join(FIXTURES, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(FIXTURES) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
