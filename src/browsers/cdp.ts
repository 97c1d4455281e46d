// A minimal Chrome DevTools Protocol client over one WebSocket: commands with replies, and events.
// navis uses it for the little it does itself (closing a browser gracefully, saving cookies,
// the live view's screencast); clients drive browsers through the CDP proxy with their own tools.
import { EventEmitter } from 'node:events';
import type { LookupFunction } from 'node:net';
import WebSocket from 'ws';

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

export class CdpError extends Error {}

/**
 * Largest message accepted. navis's own calls (cookies, targets, screencast frames) stay far below;
 * a cdp_url endpoint is the user's, and must not make navis buffer hundreds of megabytes.
 */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class CdpConnection extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    super();
    ws.on('message', (data, isBinary) => guarded(() => this.onMessage(data, isBinary)));
    ws.on('close', () => guarded(() => this.onClose()));
    // Oversized frames and invalid UTF-8 arrive here, and end the connection.
    ws.on('error', (err) => guarded(() => this.onClose(err.message)));
  }

  /** Opens the connection; `timeoutMs` bounds the whole handshake, however slowly the other end answers. */
  /** `lookup` pins the connection to an address judged beforehand (a bring-your-own cdp_url). */
  static connect(
    wsEndpoint: string,
    timeoutMs = 10_000,
    opts: { lookup?: LookupFunction } = {},
  ): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsEndpoint, {
        perMessageDeflate: false,
        maxPayload: MAX_MESSAGE_BYTES,
        handshakeTimeout: timeoutMs,
        ...(opts.lookup ? { lookup: opts.lookup } : {}),
      });
      const timer = setTimeout(() => {
        ws.terminate();
        fail(new Error(`no WebSocket handshake within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(new CdpError(`Could not connect to the browser's DevTools endpoint: ${err.message}`));
      };
      ws.on('error', fail);
      ws.once('open', () => {
        clearTimeout(timer);
        ws.off('error', fail);
        resolve(new CdpConnection(ws));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
    timeoutMs = 30_000,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new CdpError(`CDP connection closed (${method})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(`${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Pending = {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T); // the answer to `method`: its shape is the caller's to name
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.pending.set(id, waiter);
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }), (err) => {
        if (!err || !this.pending.delete(id)) return;
        waiter.reject(new CdpError(`${method} could not be sent: ${err.message}`));
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.ws.close();
    this.onClose();
  }

  /**
   * A reply (numeric id, with an object `result` or `error`) settles its command; an event (string
   * method) is emitted. Anything else is not CDP: the connection ends, so the commands waiting on
   * it fail now with the reason instead of timing out.
   */
  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary) return this.protocolError('a binary frame');
    const msg = parseObject(data.toString());
    if (!msg) return this.protocolError('a message that is not a JSON object');
    if (typeof msg.id === 'number') {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (isObject(msg.error))
        waiter.reject(new CdpError(typeof msg.error.message === 'string' ? msg.error.message : 'CDP error'));
      else if (isObject(msg.result) && msg.error === undefined) waiter.resolve(msg.result);
      else waiter.reject(new CdpError(`the DevTools endpoint sent a malformed reply to command ${msg.id}`));
    } else if (typeof msg.method === 'string') {
      const params = isObject(msg.params) ? msg.params : {};
      const sessionId = typeof msg.sessionId === 'string' ? msg.sessionId : undefined;
      this.emit('event', { method: msg.method, params, sessionId } satisfies CdpEvent);
    } else {
      this.protocolError('a message with neither a numeric id nor a method');
    }
  }

  private protocolError(what: string): void {
    this.ws.terminate();
    this.onClose(`the DevTools endpoint sent ${what}, which is not the DevTools protocol`);
  }

  private onClose(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    const error = new CdpError(reason ? `CDP connection closed: ${reason}` : 'CDP connection closed');
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.emit('close');
  }
}

/**
 * The one catch of the raw ws listeners: whatever arrives, and whatever an 'event' or 'close'
 * listener does with it, nothing is thrown back into ws, where it would be an uncaught exception.
 */
function guarded(work: () => void): void {
  try {
    work();
  } catch (error) {
    process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'CdpListenerError');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse that answers undefined for bad JSON and for JSON that is not an object (null, 42, [], "x"). */
function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
