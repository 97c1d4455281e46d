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
  private releaseId = RELEASE_ID_BASE;
  private detached = false;
  private ended = false;
  /** Flattened CDP sessions attached over this pipe, released on detach. */
  private readonly sessions = new Set<string>();
  /**
   * The one folder this browser may download into (its session's files); undefined while it serves
   * no session (downloads are denied). Playwright asks for a folder of its own: see send().
   */
  downloadFolder: string | undefined;

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
    this.write(keepDownloadsHome(message, this.downloadFolder));
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
    this.write({
      id: this.releaseId++,
      method: 'Target.setAutoAttach',
      params: { autoAttach: false, waitForDebuggerOnStart: false, flatten: true },
    });
    // Playwright pointed downloads at a temporary folder it removes on disconnect.
    this.write({ id: this.releaseId++, method: 'Browser.setDownloadBehavior', params: { behavior: 'default' } });
    for (const sessionId of this.sessions) this.detachSession(sessionId);
    this.sessions.clear();
  }

  private detachSession(sessionId: string): void {
    this.write({ id: this.releaseId++, method: 'Target.detachFromTarget', params: { sessionId } });
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
    const message = parseMessage(text);
    if (!message) {
      // Not the protocol: end the connection rather than guess (and never throw out of a timer).
      if (!this.detached) this.close();
      return;
    }
    const attached = message.method === 'Target.attachedToTarget' ? message.params?.sessionId : undefined;
    if (this.detached) {
      // Attached just before the detach reached the browser: let it go too, or it may wait for a debugger.
      if (attached && !this.ended) this.detachSession(attached);
      return;
    }
    if (attached) this.sessions.add(attached);
    else if (message.method === 'Target.detachedFromTarget' && message.params?.sessionId)
      this.sessions.delete(message.params.sessionId);
    this.onmessage?.(message);
  }
}

/** A CDP message is a JSON object; bad JSON, null, numbers, strings and arrays are not. */
function parseMessage(text: string): CdpMessage | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Playwright points downloads at a temporary folder of its own (which the browser's user could not
 * even write to): they go to the session's files instead, or nowhere while there is no session.
 */
function keepDownloadsHome(
  message: CdpMessage & { params?: Record<string, unknown> },
  folder: string | undefined,
): object {
  if (message.method !== 'Browser.setDownloadBehavior' || !message.params) return message;
  const { behavior, browserContextId, eventsEnabled } = message.params;
  const allowed = behavior === 'allow' || behavior === 'allowAndName';
  const params =
    allowed && folder ? { behavior: 'allow', downloadPath: folder } : { behavior: allowed ? 'deny' : behavior };
  return {
    ...message,
    params: {
      ...params,
      ...(browserContextId ? { browserContextId } : {}),
      ...(eventsEnabled !== undefined ? { eventsEnabled } : {}),
    },
  };
}
