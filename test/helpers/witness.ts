// A "witness" server on 127.0.0.1 for egress tests: it counts every TCP connection and records
// every HTTP request and WebSocket upgrade it gets, so a test can assert that a refused browser
// reached nothing at all (not even a connection that sent no bytes). Its pages are never cached
// (a back/forward into it goes to the network) and say who they are.
import http from 'node:http';
import type { Socket } from 'node:net';

export interface WitnessServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** "METHOD /path" of every request, upgrades included, in arrival order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startWitnessServer(name = 'witness'): Promise<WitnessServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    });
    res.end(`<!doctype html><title>${name}</title><p id="secret">${name} was reached</p>`);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket) => {
    requests.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
