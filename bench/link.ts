// A network link with a one-way delay, for benches and tests that put a client across a network
// from what it talks to: a TCP proxy on 127.0.0.1 that forwards every chunk, in order, `delayMs`
// after it arrived, in both directions (RTT = 2 x delayMs). A new connection waits one round trip
// before its first byte goes on, as TCP's handshake would. It also counts what the delay
// multiplies: the client's turns (sending again after hearing from the other side; a request
// written in several chunks is one turn) and the connections opened.
import net from 'node:net';

export interface LinkCounts {
  /** Times a client started sending after it had heard from the other side (or for the first time). */
  turns: number;
  /** Connections the client opened. */
  connections: number;
  bytesUp: number;
  bytesDown: number;
}

export class DelayLink {
  /** One-way delay; may be changed between runs (connections already open take the new value). */
  delayMs: number;
  private counts: LinkCounts = { turns: 0, connections: 0, bytesUp: 0, bytesDown: 0 };
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    delayMs: number,
  ) {
    this.delayMs = delayMs;
  }

  /** Listens on 127.0.0.1 (a free port) and forwards to `target`. */
  static async start(target: { host: string; port: number }, delayMs = 0): Promise<DelayLink> {
    let link: DelayLink | undefined;
    const server = net.createServer((client) => link!.carry(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    link = new DelayLink(server, (server.address() as net.AddressInfo).port, delayMs);
    return link;
  }

  /** The counts since the last reset. */
  take(): LinkCounts {
    const counts = this.counts;
    this.counts = { turns: 0, connections: 0, bytesUp: 0, bytesDown: 0 };
    return counts;
  }

  /** `url` (http: or ws:, any host and port) pointed at this link instead. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private carry(client: net.Socket, target: { host: string; port: number }): void {
    this.counts.connections++;
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    // The handshake: the first byte may leave no earlier than one round trip after the connect.
    const handshakeDone = Date.now() + 2 * this.delayMs;
    const toServer = new DelayQueue();
    const toClient = new DelayQueue();
    let clientSpokeLast = false;
    client.on('data', (chunk: Buffer) => {
      if (!clientSpokeLast) this.counts.turns++;
      clientSpokeLast = true;
      this.counts.bytesUp += chunk.length;
      toServer.push(Math.max(Date.now(), handshakeDone) + this.delayMs, () => upstream.write(chunk));
    });
    upstream.on('data', (chunk: Buffer) => {
      clientSpokeLast = false;
      this.counts.bytesDown += chunk.length;
      toClient.push(Date.now() + this.delayMs, () => client.write(chunk));
    });
    client.on('end', () => toServer.push(Date.now() + this.delayMs, () => upstream.end()));
    upstream.on('end', () => toClient.push(Date.now() + this.delayMs, () => client.end()));
  }
}

/** One direction of a link: what arrived goes on at its time, never before what arrived earlier. */
class DelayQueue {
  private readonly due: Array<{ at: number; send: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  push(at: number, send: () => void): void {
    if (this.due.length === 0 && at <= Date.now()) return send();
    this.due.push({ at, send });
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.due.length > 0 && this.due[0].at <= Date.now()) this.due.shift()!.send();
    if (this.due.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.due[0].at - Date.now());
  }
}
