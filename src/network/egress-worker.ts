// The egress worker: a thread of its own that runs every egress server (egress-server.ts) of this
// navis, so the proxying of all browsers' traffic never competes with the API server and navis's
// own browser connections for one event loop (bench/tasks measured ~0.04x on tasks when it did),
// and a page that floods its proxy slows down no one's API calls. The main thread drives it with
// messages (egress-proxy.ts): open a server, give it a route, close it, and navis's own endpoints
// as they change; it answers with ports and the refusals it made.
import { parentPort } from 'node:worker_threads';
import { canMarkBrowserConnections } from './endpoints.js';
import { EgressServer } from './egress-server.js';
import { CompiledPolicy, type NetworkPolicy, type OwnEndpoints } from './policy.js';
import type { UpstreamProxy } from './egress-server.js';

/** A route as it crosses threads: the policy uncompiled. */
export interface RouteMessage {
  policy: NetworkPolicy;
  owner: string;
  upstream?: UpstreamProxy;
}

export type ToWorker =
  | { op: 'open'; id: number }
  | { op: 'route'; id: number; seq: number; route: RouteMessage | null }
  | { op: 'close'; id: number; seq: number }
  | { op: 'sync'; seq: number }
  | { op: 'endpoints'; apiPort: number | undefined; ports: Array<[number, 'devtools' | 'egress']> };

export type FromWorker =
  | { op: 'opened'; id: number; port: number }
  | { op: 'failed'; id: number; message: string }
  | { op: 'refused'; id: number; host: string; port: number; refused: boolean; reason: string }
  | { op: 'done'; seq: number };

/** navis's own endpoints as the main thread last told them. */
class EndpointsCopy implements OwnEndpoints {
  apiPort: number | undefined;
  ports = new Map<number, 'devtools' | 'egress'>();

  describe(_address: string, port: number): { what: 'devtools' | 'egress' | 'api'; label: string } | undefined {
    const what = this.ports.get(port);
    if (what === 'devtools') return { what, label: 'the DevTools endpoint of a navis browser' };
    if (what === 'egress') return { what, label: "navis's egress proxy" };
    if (port === this.apiPort) return { what: 'api', label: "navis's own API" };
    return undefined;
  }
}

const port = parentPort!;
const own = new EndpointsCopy();
const servers = new Map<number, EgressServer>();
const post = (message: FromWorker) => port.postMessage(message);

async function handle(message: ToWorker): Promise<void> {
  switch (message.op) {
    case 'open': {
      try {
        const server = await EgressServer.start(own, await canMarkBrowserConnections(), (refusal) =>
          post({ op: 'refused', id: message.id, ...refusal }),
        );
        servers.set(message.id, server);
        own.ports.set(server.port, 'egress');
        post({ op: 'opened', id: message.id, port: server.port });
      } catch (error) {
        post({ op: 'failed', id: message.id, message: (error as Error).message });
      }
      return;
    }
    case 'route': {
      const { route } = message;
      servers
        .get(message.id)
        ?.setRoute(
          route ? { policy: new CompiledPolicy(route.policy, route.owner), upstream: route.upstream } : undefined,
        );
      post({ op: 'done', seq: message.seq });
      return;
    }
    case 'close': {
      const server = servers.get(message.id);
      servers.delete(message.id);
      if (server) {
        own.ports.delete(server.port);
        await server.close();
      }
      post({ op: 'done', seq: message.seq });
      return;
    }
    case 'sync':
      post({ op: 'done', seq: message.seq });
      return;
    case 'endpoints': {
      own.apiPort = message.apiPort;
      const mine = [...servers.values()].map((s) => s.port);
      own.ports = new Map(message.ports);
      for (const p of mine) own.ports.set(p, 'egress');
    }
  }
}

// Messages are handled in arrival order: a route is in place before the answer to it goes out.
let chain: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  chain = chain.then(() => handle(message)).catch(() => {});
});
