// Site manifests: validated on every way in (API, files, discovery), stored per tenant, and
// loadable from / exportable to a folder of JSON files so they can live in git.
import fs from 'node:fs';
import path from 'node:path';
import { NavisError } from '../errors.js';
import type { SiteRepository, SiteRow } from '../store/sites.js';
import { ManifestSchema, SlugSchema, type Manifest } from './manifest.js';

export interface SiteSummary {
  slug: string;
  name: string;
  baseUrl: string;
  states: number;
  actions: number;
  views: number;
  createdAt: string;
  updatedAt: string;
}

/** seed 002: 404 {"error": "Manifest not found"} */
export const manifestNotFound = () => new NavisError('NOT_FOUND', 'Manifest not found');

function describeIssues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }, manifest: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      const names = namesAlong(issue.path, manifest);
      return where ? `${where}: ${issue.message}${names ? ` (in ${names})` : ''}` : issue.message;
    })
    .join('; ');
}

/** The state and action an issue's path goes through, by name ("state 'Search', action 'search'"), when they have one. */
function namesAlong(path: PropertyKey[], manifest: unknown): string {
  const names: string[] = [];
  let node = manifest;
  for (const [i, key] of path.entries()) {
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    const kind =
      typeof key === 'number'
        ? ({ states: 'state', actions: 'action', views: 'view' } as Record<string, string>)[String(path[i - 1])]
        : undefined;
    const name = kind && node && typeof node === 'object' ? (node as { name?: unknown }).name : undefined;
    if (kind && typeof name === 'string' && name) names.push(`${kind} '${name.slice(0, 100)}'`);
  }
  return names.join(', ');
}

/** Parses a manifest, or a 400 whose message names the fields that are wrong. */
export function validateManifest(raw: unknown, slug?: string): Manifest {
  const candidate = slug && raw && typeof raw === 'object' && !Array.isArray(raw) ? { slug, ...raw } : raw;
  const parsed = ManifestSchema.safeParse(candidate);
  if (!parsed.success)
    throw new NavisError('INVALID_REQUEST', `Invalid manifest: ${describeIssues(parsed.error, candidate)}`);
  if (slug && parsed.data.slug !== slug) {
    throw new NavisError(
      'INVALID_REQUEST',
      `Invalid manifest: slug '${parsed.data.slug}' does not match the URL's '${slug}'`,
    );
  }
  return parsed.data;
}

export class ManifestService {
  constructor(private readonly repo: SiteRepository) {}

  list(tenantId: string): SiteSummary[] {
    return this.repo.list(tenantId).map(summaryOf);
  }

  find(tenantId: string, slug: string): Manifest | undefined {
    const row = this.repo.get(tenantId, slug);
    return row ? (JSON.parse(row.manifest) as Manifest) : undefined;
  }

  get(tenantId: string, slug: string): Manifest {
    const manifest = this.find(tenantId, slug);
    if (!manifest) throw manifestNotFound();
    return manifest;
  }

  put(tenantId: string, slug: string, raw: unknown): { manifest: Manifest; created: boolean } {
    const slugCheck = SlugSchema.safeParse(slug);
    if (!slugCheck.success)
      throw new NavisError(
        'INVALID_REQUEST',
        `Invalid slug '${slug.slice(0, 100)}': ${slugCheck.error.issues[0].message}`,
      );
    const manifest = validateManifest(raw, slug);
    const created = this.repo.put(tenantId, slug, JSON.stringify(manifest), new Date().toISOString());
    return { manifest, created };
  }

  delete(tenantId: string, slug: string): void {
    if (!this.repo.delete(tenantId, slug)) throw manifestNotFound();
  }

  /** Loads every `*.json` of a folder (file name = slug unless the manifest names one); reports bad files instead of failing. */
  importDir(tenantId: string, dir: string): { loaded: string[]; errors: Array<{ file: string; error: string }> } {
    const loaded: string[] = [];
    const errors: Array<{ file: string; error: string }> = [];
    if (!fs.existsSync(dir)) return { loaded, errors };
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      try {
        const raw = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
        const slug = typeof raw.slug === 'string' ? raw.slug : path.basename(file, '.json');
        this.put(tenantId, slug, raw);
        loaded.push(slug);
      } catch (error) {
        errors.push({ file, error: (error as Error).message });
      }
    }
    return { loaded, errors };
  }

  /** Writes each manifest to `<dir>/<slug>.json` (pretty-printed, stable order). */
  exportDir(tenantId: string, dir: string): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return this.repo.list(tenantId).map((row) => {
      const file = path.join(dir, `${row.slug}.json`);
      fs.writeFileSync(file, `${JSON.stringify(JSON.parse(row.manifest), null, 2)}\n`);
      return file;
    });
  }
}

function summaryOf(row: SiteRow): SiteSummary {
  const manifest = JSON.parse(row.manifest) as Manifest;
  return {
    slug: row.slug,
    name: manifest.name,
    baseUrl: manifest.baseUrl,
    states: manifest.states.length,
    actions: manifest.states.reduce((n, s) => n + s.actions.length, 0),
    views: manifest.states.reduce((n, s) => n + s.views.length, 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
