// Hostile peers for the robustness tests: a raw TCP client that sends whatever bytes it is given,
// a WebSocket "browser" that answers every CDP command with something that is not CDP, and the
// /json/version answers a cdp_url address can give instead of Chromium's.
import type http from 'node:http';
import net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FixtureRoute } from '../helpers/fixtures.js';

/** How long a raw exchange may stay open before the client gives up (navis may wait for more bytes). */
const RAW_GIVE_UP_MS = 3_000;

/**
 * Sends `bytes` to host:port over plain TCP and resolves with what came back before the connection
 * closed. `end` half-closes after writing (a truncated request); `reset` sends a TCP RST at once.
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  opts: { end?: boolean; reset?: boolean } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(giveUp);
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const giveUp = setTimeout(() => socket.destroy(), RAW_GIVE_UP_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {}); // navis may reset a connection it refuses; 'close' follows
    socket.on('close', done);
    socket.on('connect', () => {
      socket.write(bytes);
      if (opts.reset) socket.resetAndDestroy();
      else if (opts.end) socket.end();
    });
  });
}

/** The status code of a raw HTTP answer ("HTTP/1.1 400 Bad Request…"), or undefined when none came. */
export function statusOf(answer: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return match ? Number(match[1]) : undefined;
}

/** The JSON body of a raw HTTP answer, or undefined. */
export function bodyOf(answer: string): any {
  const at = answer.indexOf('\r\n\r\n');
  try {
    return at < 0 ? undefined : JSON.parse(answer.slice(at + 4));
  } catch {
    return undefined;
  }
}

/** A WebSocket upgrade request for `target`, with the headers a real client sends and any extra lines. */
export function upgradeRequest(target: string, extra: string[] = []): string {
  return [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** Bytes that are not HTTP, the same on every run (a linear congruential generator). */
export function garbage(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** What a hostile "browser" answers to every command, by the path of its address. */
export const HOSTILE_ANSWERS: Record<string, string | Buffer | { binary: Buffer }> = {
  '/null': 'null',
  '/array': '[]',
  '/number': '42',
  '/string': '"x"',
  '/string-id': '{"id": "1"}',
  '/null-error': '{"id": 1, "error": null}',
  '/string-error': '{"id": 1, "error": "boom"}',
  '/null-result': '{"id": 1, "result": null}',
  '/number-method': '{"method": 5}',
  '/not-json': '{"id": 1,',
  '/invalid-utf8': Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
  '/binary': { binary: Buffer.from([0x7b, 0x7d, 0x00, 0xff]) },
  '/huge': { binary: Buffer.alloc(33 * 1024 * 1024, 0x20) },
};

/** What `/mimic` answers besides {}: one page, enough for a live viewer to show it. */
const MIMIC_PAGE = { targetId: 'T1', type: 'page', url: 'about:blank', title: 'mimic' };
const MIMIC_RESULTS: Record<string, unknown> = {
  'Target.getTargets': { targetInfos: [MIMIC_PAGE] },
  'Target.attachToTarget': { sessionId: 'S1' },
  'Target.getTargetInfo': { targetInfo: MIMIC_PAGE },
};

export interface HostileCdp {
  /** ws://127.0.0.1:<port><path> */
  url(path: string): string;
  /** The open connections made to `path`, to misbehave on later. */
  connections(path: string): WebSocket[];
  close(): Promise<void>;
}

/**
 * A WebSocket server posing as a browser. Paths of HOSTILE_ANSWERS answer every message with that
 * answer; `/mimic…` answers well enough for a session and a live viewer (one page, T1, attached
 * as S1), so a test can misbehave on the connections afterwards; `/silent` never answers.
 */
export async function startHostileCdp(): Promise<HostileCdp> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const byPath = new Map<string, WebSocket[]>();
  wss.on('connection', (ws, req) => {
    const path = req.url ?? '/';
    byPath.set(path, [...(byPath.get(path) ?? []), ws]);
    ws.on('error', () => {});
    ws.on('message', (data) => {
      if (path.startsWith('/mimic')) {
        const { id, method } = JSON.parse(data.toString()) as { id: number; method: string };
        return ws.send(JSON.stringify({ id, result: MIMIC_RESULTS[method] ?? {} }));
      }
      const answer = HOSTILE_ANSWERS[path];
      if (answer === undefined) return;
      if (typeof answer === 'object' && 'binary' in answer) ws.send(answer.binary, { binary: true });
      else ws.send(answer, { binary: false });
    });
  });
  const { port } = wss.address() as { port: number };
  return {
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    connections: (path) => byPath.get(path) ?? [],
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** /json/version answers that are not Chromium's, keyed by the fixture route they live at. */
export function hostileVersionRoutes(wsUrlOfSilentBrowser: string): Record<string, FixtureRoute> {
  const json = (body: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  };
  return {
    '/v-null/json/version': json('null'),
    '/v-array/json/version': json('[]'),
    '/v-number/json/version': json('42'),
    '/v-text/json/version': json('<html>not a browser</html>'),
    '/v-url-number/json/version': json('{"webSocketDebuggerUrl": 5}'),
    '/v-url-http/json/version': json('{"webSocketDebuggerUrl": "http://127.0.0.1:1/devtools/browser/x"}'),
    '/v-silent-browser/json/version': json(JSON.stringify({ webSocketDebuggerUrl: wsUrlOfSilentBrowser })),
    // No Content-Length: the limit must hold while reading, not only from the header.
    '/v-huge/json/version': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    },
    '/v-hang/json/version': () => {},
    '/v-trickle/json/version': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
    },
  };
}

/** A TCP server that accepts connections and never says a word (a handshake that never ends). */
export async function startMuteServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/devtools/browser/mute`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
