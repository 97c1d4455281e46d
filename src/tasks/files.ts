// Files uploaded to a session (seed 003: POST /browser/sessions/{id}/files), which the uploadFile
// action puts into file inputs. One dir per session under <data>/files/<sessionId>, removed when
// the session ends. Uploads stream into a hidden temp file and appear under their name only once
// complete, so a failed or oversized upload leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BrowserIdentity } from '../browsers/users.js';
import { invalid, NavisError } from '../errors.js';

export interface SessionFile {
  filename: string;
  size: number;
  createdAt: string;
}

/** One file of an upload request: the name the client gave and its content. */
export interface Upload {
  filename: string;
  source: Readable;
}

/** Temp files start with a dot, which a sanitised name never does, so they never show as files. */
const TEMP_PREFIX = '.upload-';
const MAX_NAME_BYTES = 255;
const ALLOWED = 'letters, digits, spaces and punctuation other than / \\ : * ? " < > |';

/** Makes a path the session browser's own (users.ts giveTo), so the browser can read uploads and write downloads. */
export type GiveTo = (target: string, identity: BrowserIdentity | undefined) => void;

export class SessionFiles {
  readonly root: string;
  /** The user id each session's browser runs as (absent when browsers run as navis's user). */
  private readonly owners = new Map<string, BrowserIdentity>();

  constructor(
    dataDir: string,
    private readonly maxFileBytes: number,
    private readonly maxSessionBytes: number,
    private readonly giveTo: GiveTo = () => {},
  ) {
    this.root = path.join(dataDir, 'files');
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  async save(sessionId: string, filename: string, source: Readable): Promise<SessionFile> {
    const [saved] = await this.saveAll(sessionId, [{ filename, source }]);
    return saved;
  }

  /**
   * Saves every upload of one request, or none: each streams into a temp file (consumed in order,
   * as multipart parts must be), and only when all arrived within the limits are they renamed
   * into place. A name given twice keeps the last; an existing file of that name is replaced.
   */
  async saveAll(sessionId: string, uploads: Iterable<Upload> | AsyncIterable<Upload>): Promise<SessionFile[]> {
    const dir = this.ensureDir(sessionId);
    const received: { filename: string; temp: string }[] = [];
    try {
      for await (const upload of uploads) {
        const filename = safeFilename(upload.filename);
        const temp = path.join(dir, TEMP_PREFIX + randomBytes(8).toString('hex'));
        received.push({ filename, temp });
        const sessionBudget = this.maxSessionBytes - (await bytesIn(dir, filename));
        await this.receive(upload.source, temp, filename, sessionBudget);
      }
      const saved = new Map<string, SessionFile>();
      for (const { filename, temp } of received) {
        this.giveTo(temp, this.owners.get(sessionId));
        await fsp.rename(temp, path.join(dir, filename));
        saved.set(filename, describe(dir, filename)!);
      }
      return [...saved.values()];
    } catch (error) {
      await Promise.all(received.map(({ temp }) => fsp.rm(temp, { force: true })));
      throw error;
    }
  }

  list(sessionId: string): SessionFile[] {
    const dir = this.dirOf(sessionId);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.crdownload'))
      .flatMap((entry) => describe(dir, entry.name) ?? [])
      .sort((a, b) => a.filename.localeCompare(b.filename));
  }

  delete(sessionId: string, filename: string): void {
    const name = safeFilename(filename);
    const file = path.join(this.dirOf(sessionId), name);
    if (!fs.existsSync(file)) {
      throw new NavisError(
        'FILE_NOT_FOUND',
        `No file "${name}" in session ${sessionId}. GET /browser/sessions/{id}/files lists the session's files.`,
      );
    }
    fs.rmSync(file, { force: true });
  }

  /** The absolute path of an uploaded file, for the uploadFile action. */
  pathOf(sessionId: string, filename: string): string {
    const name = safeFilename(filename);
    const file = path.join(this.dirOf(sessionId), name);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      throw new NavisError(
        'FILE_NOT_FOUND',
        `No file "${name}" was uploaded to session ${sessionId}. Upload it first via POST /browser/sessions/{id}/files.`,
        { filename: name },
      );
    }
    return file;
  }

  /** A file to download: its stored name, size and a stream of its bytes (404 when absent). */
  open(sessionId: string, filename: string): { filename: string; size: number; stream: Readable } {
    const name = safeFilename(filename);
    const file = path.join(this.dirOf(sessionId), name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    // A download still in progress is not a file yet (list() leaves it out too).
    if (!stat?.isFile() || name.endsWith('.crdownload')) {
      throw new NavisError(
        'FILE_NOT_FOUND',
        `No file "${name}" in session ${sessionId}. GET /browser/sessions/{id}/files lists the session's files.`,
        { filename: name },
      );
    }
    return { filename: name, size: stat.size, stream: fs.createReadStream(file) };
  }

  /**
   * A session starts: its folder is made, owned by its browser's user, so the page can download
   * into it and the browser can read what is uploaded (and nothing of any other session).
   */
  adopt(sessionId: string, identity: BrowserIdentity | undefined): void {
    if (identity) this.owners.set(sessionId, identity);
    this.ensureDir(sessionId);
  }

  /** Where a session's files are: the one folder its CDP clients may name (cdp-firewall.ts). */
  folderOf(sessionId: string): string {
    return this.dirOf(sessionId);
  }

  /** When a session ends (any reason), its files go with it. */
  removeAll(sessionId: string): void {
    this.owners.delete(sessionId);
    fs.rmSync(this.dirOf(sessionId), { recursive: true, force: true, maxRetries: 2 });
  }

  /** At start: every session of an earlier run has ended by now, so all their files can go. */
  clearAll(): void {
    for (const entry of fs.readdirSync(this.root)) {
      fs.rmSync(path.join(this.root, entry), { recursive: true, force: true, maxRetries: 2 });
    }
  }

  private ensureDir(sessionId: string): string {
    const dir = this.dirOf(sessionId);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.giveTo(dir, this.owners.get(sessionId));
    }
    return dir;
  }

  private dirOf(sessionId: string): string {
    // Session ids are UUIDs; anything else never names a dir (and never climbs out of root).
    if (!/^[A-Za-z0-9-]{1,200}$/.test(sessionId)) throw new NavisError('SESSION_NOT_FOUND', 'Session not found');
    return path.join(this.root, sessionId);
  }

  /** Streams `source` into `temp`, failing with 413 the moment it passes either limit. */
  private async receive(source: Readable, temp: string, filename: string, sessionBudget: number): Promise<void> {
    const { maxFileBytes, maxSessionBytes } = this;
    let size = 0;
    const sink = fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > maxFileBytes) {
              throw new NavisError(
                'FILE_TOO_LARGE',
                `File "${filename}" is larger than the upload limit of ${bytes(maxFileBytes)}. Upload a smaller file, or raise NAVIS_MAX_UPLOAD_BYTES.`,
                { filename, limitBytes: maxFileBytes },
              );
            }
            if (size > sessionBudget) {
              throw new NavisError(
                'FILE_TOO_LARGE',
                `File "${filename}" would take this session's files past their total limit of ${bytes(maxSessionBytes)}. Delete files the session no longer needs (DELETE /browser/sessions/{id}/files/{filename}), or raise NAVIS_MAX_SESSION_FILES_BYTES.`,
                { filename, limitBytes: maxSessionBytes },
              );
            }
            yield chunk;
          }
        },
        sink,
      );
    } catch (error) {
      // The pipeline rejects before the file stream has closed, and the stream's open (a
      // thread-pool job) may end only after the caller's clean-up removed `temp`, bringing the
      // temp file back for good. Once the stream has closed, the clean-up finds what it created.
      if (!sink.closed) await once(sink, 'close').catch(() => {});
      throw error;
    }
  }
}

/**
 * The name a client's filename is stored under: its last path part, without control or format
 * characters, leading dots or spaces, with characters that are unsafe on common file systems
 * replaced by `_`, cut to 255 bytes (keeping the extension). 400 when nothing usable remains.
 */
export function safeFilename(given: string): string {
  const cleaned = given.normalize('NFC').replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, '');
  const base =
    cleaned
      .split(/[/\\]/)
      .filter((part) => part.trim() !== '')
      .pop() ?? '';
  const name = truncateUtf8(
    base
      .replace(/[<>:"|?*]/g, '_')
      .replace(/^[\s.]+/, '')
      .replace(/[\s.]+$/, ''),
    MAX_NAME_BYTES,
  );
  if (name === '') {
    throw invalid(
      `Filename ${JSON.stringify(given.slice(0, 100))} has no usable characters. Filenames may use ${ALLOWED}, and may not start with a dot.`,
    );
  }
  return name;
}

function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(name.slice(dot)) <= 32 ? name.slice(dot) : '';
  const budget = maxBytes - Buffer.byteLength(ext);
  let stem = '';
  for (const char of name.slice(0, name.length - ext.length)) {
    if (Buffer.byteLength(stem + char) > budget) break;
    stem += char;
  }
  return stem.trimEnd() + ext;
}

/** Bytes the session's dir holds (other uploads' temp files included), leaving out `except`. */
async function bytesIn(dir: string, except: string): Promise<number> {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === except) continue;
    total += (await fsp.stat(path.join(dir, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** A file's listing entry; undefined when it is gone (deleted while listing). */
function describe(dir: string, filename: string): SessionFile | undefined {
  const stat = fs.statSync(path.join(dir, filename), { throwIfNoEntry: false });
  return stat && { filename, size: stat.size, createdAt: stat.mtime.toISOString() };
}

const bytes = (n: number) =>
  n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
