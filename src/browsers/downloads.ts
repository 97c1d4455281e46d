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
  state?: string;
}

export class DownloadKeeper {
  private readonly active = new Map<string, number>();

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
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: folder, eventsEnabled: true }, undefined, 5000);
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
    if (progress.state !== 'inProgress') {
      this.active.delete(progress.guid);
      return;
    }
    this.active.set(progress.guid, Number(progress.receivedBytes) || 0);
    const inFlight = [...this.active.values()].reduce((a, b) => a + b, 0);
    if (bytesIn(this.folder) + inFlight <= this.maxBytes) return;
    this.active.delete(progress.guid);
    this.log.info({ folder: path.basename(this.folder), limitBytes: this.maxBytes }, 'download cancelled: it would take the session files past their limit');
    this.cdp.send('Browser.cancelDownload', { guid: progress.guid }).catch(() => {});
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
