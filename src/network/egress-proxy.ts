// The egress guard of one browser (or one browser context), as the main thread holds it: a proxy
// server running in the egress worker (egress-worker.ts, egress-server.ts), the route it judges
// connections by, and the refusals it made, so navis can say why its own navigation failed.
// Chromium is pointed at `url` (--proxy-server, or a context's proxy).
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { NavisEndpoints } from './endpoints.js';
import type { Refusal, UpstreamProxy } from './egress-server.js';
import type { FromWorker, ToWorker } from './egress-worker.js';
import type { CompiledPolicy } from './policy.js';
import { bareHost } from './resolve.js';
import type { SchemeRules } from './urls.js';

export { EGRESS_HEADER, type UpstreamProxy } from './egress-server.js';

/** Whose browser this is and what it may reach. */
export interface EgressRoute {
  policy: CompiledPolicy;
  schemes: SchemeRules;
  upstream?: UpstreamProxy;
}

const MAX_REFUSALS = 32;

export class EgressProxy {
  private currentRoute: EgressRoute | undefined;
  private readonly refusals: Array<Refusal & { seq: number }> = [];
  private seq = 0;
  private closed = false;

  private constructor(
    private readonly host: EgressHost,
    private readonly id: number,
    readonly port: number,
  ) {}

  /** A new proxy server in the egress worker, refusing everything until it gets a route. */
  static async start(endpoints: NavisEndpoints, log: Logger): Promise<EgressProxy> {
    const host = EgressHost.of(endpoints, log);
    const { id, port } = await host.open();
    const proxy = new EgressProxy(host, id, port);
    host.attach(id, proxy);
    endpoints.protect(port, 'egress');
    return proxy;
  }

  /** For Chromium's --proxy-server and a context's proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get route(): EgressRoute | undefined {
    return this.currentRoute;
  }

  /** Hands the browser to a tenant (or back to nobody); resolves once the server judges by it. */
  async setRoute(route: EgressRoute | undefined): Promise<void> {
    this.currentRoute = route;
    await this.host.request((seq) => ({
      op: 'route',
      id: this.id,
      seq,
      route: route ? { policy: route.policy.policy, owner: route.policy.owner, upstream: route.upstream } : null,
    }));
  }

  /** A mark for refusalSince(). */
  mark(): number {
    return this.seq;
  }

  /** Resolves once every refusal the server made so far has arrived here. */
  sync(): Promise<void> {
    return this.host.request((seq) => ({ op: 'sync', seq }));
  }

  /** The first refusal after `mark`, preferably one for `host`. */
  refusalSince(mark: number, host?: string): Refusal | undefined {
    const since = this.refusals.filter((r) => r.seq > mark);
    return (host && since.find((r) => r.host === bareHost(host))) || since[0];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.host.endpoints.release(this.port);
    await this.host.close(this.id);
  }

  /** Stops the egress worker of this navis (its close sequence, once every browser is gone). */
  static async shutdown(endpoints: NavisEndpoints): Promise<void> {
    await EgressHost.stop(endpoints);
  }

  /** A refusal the server reported (EgressHost). */
  noteRefusal(refusal: Refusal): void {
    this.refusals.push({ ...refusal, seq: ++this.seq });
    if (this.refusals.length > MAX_REFUSALS) this.refusals.shift();
  }
}

/** The egress worker of one navis (one per NavisEndpoints), started with its first proxy. */
class EgressHost {
  private static readonly hosts = new WeakMap<NavisEndpoints, EgressHost>();
  private readonly worker: Worker;
  private nextId = 1;
  private nextSeq = 1;
  private readonly opening = new Map<number, { resolve: (port: number) => void; reject: (error: Error) => void }>();
  private readonly waiting = new Map<number, () => void>();
  private readonly proxies = new Map<number, EgressProxy>();

  private constructor(
    readonly endpoints: NavisEndpoints,
    private readonly log: Logger,
  ) {
    this.worker = startWorker();
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('error', (error) => log.error({ err: error.message }, 'the egress worker failed'));
    this.worker.unref(); // it serves browsers; it never keeps navis alive by itself (after on(): a listener refs again)
    endpoints.onChange(() => this.post({ op: 'endpoints', ...endpoints.snapshot() }));
    this.post({ op: 'endpoints', ...endpoints.snapshot() });
  }

  static async stop(endpoints: NavisEndpoints): Promise<void> {
    const host = EgressHost.hosts.get(endpoints);
    EgressHost.hosts.delete(endpoints);
    await host?.worker.terminate();
  }

  static of(endpoints: NavisEndpoints, log: Logger): EgressHost {
    let host = EgressHost.hosts.get(endpoints);
    if (!host) {
      host = new EgressHost(endpoints, log);
      EgressHost.hosts.set(endpoints, host);
    }
    return host;
  }

  open(): Promise<{ id: number; port: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.opening.set(id, { resolve: (port) => resolve({ id, port }), reject });
      this.post({ op: 'open', id });
    });
  }

  attach(id: number, proxy: EgressProxy): void {
    this.proxies.set(id, proxy);
  }

  /** Sends a message that the worker answers with `done` once handled (messages are handled in order). */
  request(message: (seq: number) => ToWorker): Promise<void> {
    const seq = this.nextSeq++;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.post(message(seq));
    });
  }

  async close(id: number): Promise<void> {
    await this.request((seq) => ({ op: 'close', id, seq }));
    this.proxies.delete(id);
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromWorker): void {
    switch (message.op) {
      case 'opened':
        this.opening.get(message.id)?.resolve(message.port);
        this.opening.delete(message.id);
        return;
      case 'failed':
        this.opening.get(message.id)?.reject(new Error(`the egress proxy could not start: ${message.message}`));
        this.opening.delete(message.id);
        return;
      case 'refused': {
        const { id: _id, op: _op, ...refusal } = message;
        this.proxies.get(message.id)?.noteRefusal(refusal);
        this.log.info(
          { host: refusal.host, port: refusal.port, refused: refusal.refused },
          refusal.refused ? 'egress refused' : 'egress: host did not resolve',
        );
        return;
      }
      case 'done':
        this.waiting.get(message.seq)?.();
        this.waiting.delete(message.seq);
    }
  }
}

/**
 * The worker on its script: the .js beside this file when built (dist), or, running from source
 * under tsx (tests, benches), the .ts through tsx's loader, which a worker registers for itself.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./egress-worker.js', import.meta.url));
  const script = new URL('./egress-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`,
    { eval: true },
  );
}
