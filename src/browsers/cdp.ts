// A minimal Chrome DevTools Protocol client over one WebSocket: commands with replies, and events.
// navis uses it for the little it does itself (closing a browser gracefully, saving cookies,
// the live view's screencast); clients drive browsers through the CDP proxy with their own tools.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

export class CdpError extends Error {}

export class CdpConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    super();
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', () => this.onClose());
    ws.on('error', () => this.onClose());
  }

  static connect(wsEndpoint: string, timeoutMs = 10_000): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsEndpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, handshakeTimeout: timeoutMs });
      const fail = (err: Error) => reject(new CdpError(`Could not connect to the browser's DevTools endpoint: ${err.message}`));
      ws.once('error', fail);
      ws.once('open', () => {
        ws.off('error', fail);
        resolve(new CdpConnection(ws));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send<T = any>(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 30_000): Promise<T> {
    if (this.closed) return Promise.reject(new CdpError(`CDP connection closed (${method})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(`${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  close(): void {
    if (this.closed) return;
    this.ws.close();
    this.onClose();
  }

  private onMessage(text: string): void {
    let msg: any;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.id === 'number') {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.reject(new CdpError(`${msg.error.message ?? 'CDP error'}`));
      else waiter.resolve(msg.result ?? {});
    } else if (typeof msg.method === 'string') {
      this.emit('event', { method: msg.method, params: msg.params ?? {}, sessionId: msg.sessionId } satisfies CdpEvent);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.pending.values()) waiter.reject(new CdpError('CDP connection closed'));
    this.pending.clear();
    this.emit('close');
  }
}
