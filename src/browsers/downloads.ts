// Where a browser's downloads go: into its session's files folder (listed by GET
// /browser/sessions/{id}/files), nowhere else, and no further than the session's files limit. One
// CDP connection per browser sets the default context's download behaviour and watches every
// download (Chromium tells each connection that asked for events about all of them); one that
// would take the folder past the limit is cancelled. Whoever else asks for another folder —
// navis's own Playwright connection, a client over the CDP proxy — is pointed back here
// (pipe.ts, the CDP firewall).
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { CdpConnection, type CdpEvent } from './cdp.js';

interface Progress {
  guid: string;
  receivedBytes?: number;
  /** What the server announced (Content-Length); 0 when it did not. */
  totalBytes?: number;
  state?: string;
  /** Where a completed download was written. */
  filePath?: string;
}

export class DownloadKeeper {
  private readonly active = new Map<string, number>();
  /** Downloads already cancelled: their last progress events ask for nothing more. */
  private readonly cancelled = new Set<string>();

  private constructor(
    private readonly cdp: CdpConnection,
    readonly folder: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    cdp.on('event', (event: CdpEvent) => {
      if (event.method === 'Browser.downloadProgress') this.onProgress(event.params as unknown as Progress);
    });
  }

  /** Points the browser's downloads at `folder` (the browser's user owns it) and watches them. */
  static async start(wsEndpoint: string, folder: string, maxBytes: number, log: Logger): Promise<DownloadKeeper> {
    const cdp = await CdpConnection.connect(wsEndpoint, 5000);
    try {
      await cdp.send(
        'Browser.setDownloadBehavior',
        { behavior: 'allow', downloadPath: folder, eventsEnabled: true },
        undefined,
        5000,
      );
    } catch (error) {
      cdp.close();
      throw error;
    }
    return new DownloadKeeper(cdp, folder, maxBytes, log);
  }

  close(): void {
    this.cdp.close();
  }

  private onProgress(progress: Progress): void {
    if (typeof progress?.guid !== 'string') return;
    if (progress.state === 'completed') {
      this.active.delete(progress.guid);
      this.cancelled.delete(progress.guid);
      this.removeIfOver(progress.filePath);
      return;
    }
    if (progress.state !== 'inProgress') {
      this.active.delete(progress.guid);
      this.cancelled.delete(progress.guid);
      return;
    }
    if (this.cancelled.has(progress.guid)) return;
    // A download counts with the size its server announced as soon as it is known: one that cannot
    // fit is cancelled before it arrives, not once it has filled the disk up to the limit.
    this.active.set(progress.guid, Math.max(Number(progress.receivedBytes) || 0, Number(progress.totalBytes) || 0));
    const inFlight = [...this.active.values()].reduce((a, b) => a + b, 0);
    if (bytesIn(this.folder) + inFlight <= this.maxBytes) return;
    this.active.delete(progress.guid);
    this.cancelled.add(progress.guid);
    this.log.info(
      { folder: path.basename(this.folder), limitBytes: this.maxBytes },
      'download cancelled: it would take the session files past their limit',
    );
    this.cancel(progress.guid).catch(() => {});
  }

  /**
   * Cancels a download in whichever browser context runs it: Chromium looks a guid up only in the
   * context it is given (the default one when none is), and a client may make contexts of its own
   * (Playwright's newContext), whose downloads the firewall points at this folder as well.
   */
  private async cancel(guid: string): Promise<void> {
    try {
      await this.cdp.send('Browser.cancelDownload', { guid });
      return;
    } catch {
      // not a download of the default context
    }
    const { browserContextIds } = await this.cdp.send<{ browserContextIds: string[] }>('Target.getBrowserContexts');
    await Promise.all(
      browserContextIds.map((browserContextId) =>
        this.cdp.send('Browser.cancelDownload', { guid, browserContextId }).catch(() => {}),
      ),
    );
  }

  /**
   * A download that arrives in one piece can complete before any progress event (or the cancel)
   * shows it over the limit: then the finished file goes, so the folder never stays past it.
   */
  private removeIfOver(filePath: unknown): void {
    if (typeof filePath !== 'string' || bytesIn(this.folder) <= this.maxBytes) return;
    const file = path.resolve(filePath);
    if (path.dirname(file) !== path.resolve(this.folder)) return; // only ever a file of this folder
    fs.rmSync(file, { force: true });
    this.log.info(
      { folder: path.basename(this.folder), limitBytes: this.maxBytes },
      'download removed: it completed past the session files limit',
    );
  }
}

/** Bytes of the finished files in a folder (downloads in progress are counted by their events). */
function bytesIn(folder: string): number {
  let total = 0;
  try {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.endsWith('.crdownload')) continue;
      total += fs.statSync(path.join(folder, entry.name), { throwIfNoEntry: false })?.size ?? 0;
    }
  } catch {
    // the folder went with its session
  }
  return total;
}
