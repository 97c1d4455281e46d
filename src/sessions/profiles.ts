// Browser profiles: a Chromium user-data dir per profile under <data>/profiles/<id>, with a lock
// so only one session at a time saves changes into it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NavisError, profileNotFound } from '../errors.js';
import type { ProfileRepository, ProfileRow } from '../store/profiles.js';

export interface ProfileView {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  inUseBySession: string | null;
}

const view = (row: ProfileRow): ProfileView => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  inUseBySession: row.locked_by_session,
});

/** Files Chromium holds only while running, or caches not worth copying into a throw-away profile. */
const SKIP_ON_COPY = new Set([
  'SingletonLock',
  'SingletonSocket',
  'SingletonCookie',
  'Cache',
  'Code Cache',
  'GPUCache',
  'GrShaderCache',
  'ShaderCache',
  'Crashpad',
]);

export class ProfileService {
  readonly root: string;

  constructor(
    private readonly repo: ProfileRepository,
    dataDir: string,
  ) {
    this.root = path.join(dataDir, 'profiles');
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  create(tenantId: string, name: string): ProfileView {
    const now = new Date().toISOString();
    const row = { id: randomUUID(), tenant_id: tenantId, name, created_at: now, updated_at: now };
    fs.mkdirSync(this.dirOf(row.id), { recursive: true, mode: 0o700 });
    this.repo.insert(row);
    return view({ ...row, locked_by_session: null });
  }

  list(tenantId: string): ProfileView[] {
    return this.repo.list(tenantId).map(view);
  }

  get(tenantId: string, id: string): ProfileView {
    const row = this.repo.get(tenantId, id);
    if (!row) throw profileNotFound();
    return view(row);
  }

  delete(tenantId: string, id: string): void {
    const profile = this.get(tenantId, id);
    if (profile.inUseBySession) {
      throw new NavisError(
        'PROFILE_LOCKED',
        `Browser profile ${id} is in use by session ${profile.inUseBySession}. Terminate that session before deleting the profile.`,
      );
    }
    this.repo.delete(tenantId, id);
    fs.rmSync(this.dirOf(id), { recursive: true, force: true });
  }

  /** A deleted tenant's profiles leave the disk too (their rows go with the tenant). */
  removeDirsOf(tenantId: string): void {
    for (const profile of this.repo.list(tenantId)) fs.rmSync(this.dirOf(profile.id), { recursive: true, force: true });
  }

  dirOf(id: string): string {
    return path.join(this.root, id);
  }

  /** Takes the profile for a session that saves its changes; 409 when another such session has it. */
  lock(id: string, sessionId: string): void {
    if (this.repo.lock(id, sessionId)) return;
    const holder = this.repo.lockHolder(id);
    throw new NavisError(
      'PROFILE_LOCKED',
      `Browser profile ${id} is in use by session ${holder ?? 'another session'}, which saves changes to it. Terminate that session first, or create this session with persist_changes: false to use a read-only copy.`,
      { profileId: id, sessionId: holder },
    );
  }

  unlock(id: string, sessionId: string): void {
    this.repo.unlock(id, sessionId, new Date().toISOString());
  }

  unlockAll(): void {
    this.repo.unlockAll();
  }

  /** A throw-away copy of the profile's user-data dir for a session that must not change it. */
  copyTo(id: string, target: string): void {
    copyLiveDir(this.dirOf(id), target);
  }
}

/**
 * Copies a user-data dir that a saving session's Chromium may be writing right now: its temporary
 * files and journals come and go, so one that vanishes between listing and copying is skipped
 * (fs.cpSync fails the whole copy on it).
 */
export function copyLiveDir(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (SKIP_ON_COPY.has(entry.name)) continue;
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    try {
      if (entry.isDirectory()) copyLiveDir(from, to);
      else if (entry.isFile()) copyLiveFile(from, to);
      else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Copies a file that may shrink or grow while it is read (a journal Chromium is writing), by
 * reading until the end as it is then. fs.copyFileSync uses copy_file_range, which on Linux spins
 * forever at 100% CPU when the source is truncated during the copy (seen with Cookies-journal).
 */
function copyLiveFile(from: string, to: string): void {
  const input = fs.openSync(from, 'r');
  try {
    const output = fs.openSync(to, 'w', 0o600);
    try {
      const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
      for (;;) {
        const read = fs.readSync(input, buffer, 0, buffer.length, null);
        if (read === 0) break;
        fs.writeSync(output, buffer, 0, read);
      }
    } finally {
      fs.closeSync(output);
    }
  } finally {
    fs.closeSync(input);
  }
}

const COPY_CHUNK_BYTES = 256 * 1024;
