// navis's own DevTools connection to a Chromium it launched: the --remote-debugging-pipe (fd 3 in,
// fd 4 out, NUL-terminated JSON), handed to Playwright's connectOverCDP as a transport. Playwright
// over this pipe drives pages as fast as a browser it launched itself; over the DevTools WebSocket
// the same calls took ~1.1x as long (bench/README.md). Clients keep the WebSocket (CDP proxy).
//
// Closing the pipe makes Chromium quit, so a Playwright disconnect never closes it: the transport
// detaches instead (stops auto-attaching, releases the targets it attached, drops what still comes)
// and the pipe stays open, unused, until the browser exits.
import type { Readable, Writable } from 'node:stream';
import type { ConnectOverCDPTransport } from 'playwright-core';

interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: { sessionId?: string };
}

/** Message ids for the detach clean-up, far from Playwright's own counter. */
const RELEASE_ID_BASE = 2_000_000_000;

export class PipeTransport implements ConnectOverCDPTransport {
  onmessage?: (message: object) => void;
  onclose?: (reason?: string) => void;
  private pending: Buffer[] = [];
  private detached = false;
  private ended = false;
  /** Flattened CDP sessions attached over this pipe, released on detach. */
  private readonly sessions = new Set<string>();

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    fromBrowser.on('data', (chunk: Buffer) => this.dispatch(chunk));
    fromBrowser.on('close', () => {
      this.ended = true;
      if (!this.detached) this.onclose?.('the browser closed its DevTools pipe');
    });
    // An EPIPE after the browser died shows up as 'close' too; nothing to add here.
    fromBrowser.on('error', () => {});
    toBrowser.on('error', () => {});
  }

  /** Whether the pipe still carries a Playwright connection (false once detached or closed). */
  get usable(): boolean {
    return !this.detached && !this.ended;
  }

  send(message: object): void {
    if (!this.usable) return;
    this.write(message);
  }

  close(): void {
    if (this.detached) return;
    this.detached = true;
    if (!this.ended) this.release();
    setImmediate(() => this.onclose?.('disconnected'));
  }

  private write(message: object): void {
    this.toBrowser.write(`${JSON.stringify(message)}\0`);
  }

  /** Undoes what the connection set up in the browser, so that no new page waits for a debugger that is gone. */
  private release(): void {
    let id = RELEASE_ID_BASE;
    this.write({ id: id++, method: 'Target.setAutoAttach', params: { autoAttach: false, waitForDebuggerOnStart: false, flatten: true } });
    for (const sessionId of this.sessions) this.write({ id: id++, method: 'Target.detachFromTarget', params: { sessionId } });
    this.sessions.clear();
  }

  private dispatch(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(0, start);
    while (end !== -1) {
      this.pending.push(chunk.subarray(start, end));
      const text = Buffer.concat(this.pending).toString('utf8');
      this.pending = [];
      // One message per task, as Playwright's own pipe does: its connection expects the promise
      // continuations of one message to have run before the next one arrives.
      setImmediate(() => this.deliver(text));
      start = end + 1;
      end = chunk.indexOf(0, start);
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }

  private deliver(text: string): void {
    if (this.detached) return;
    const message = JSON.parse(text) as CdpMessage;
    if (message.method === 'Target.attachedToTarget' && message.params?.sessionId) this.sessions.add(message.params.sessionId);
    else if (message.method === 'Target.detachedFromTarget' && message.params?.sessionId) this.sessions.delete(message.params.sessionId);
    this.onmessage?.(message);
  }
}
