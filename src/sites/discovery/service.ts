// Runs a discovery for the API and the CLI: a browser from the warm pool, one discovery at a
// time, the manifest stored for the tenant, the browser closed whatever happens.
import type { Logger } from 'pino';
import type { BrowserPool } from '../../browsers/pool.js';
import type { Config } from '../../config.js';
import { NavisError } from '../../errors.js';
import { DEFAULT_SCREEN } from '../../sessions/types.js';
import type { Manifest } from '../manifest.js';
import type { ManifestService } from '../service.js';
import { SiteDiscovery, pageOpener, type DiscoverOptions, type DiscoveryProgress, type DiscoveryReport } from './index.js';
import { namerFrom } from './llm-namer.js';

export interface DiscoveryOutcome {
  slug: string;
  created: boolean;
  manifest: Manifest;
  report: DiscoveryReport;
}

export class DiscoveryService {
  private running = false;

  constructor(
    private readonly pool: BrowserPool,
    private readonly manifests: ManifestService,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  async discover(tenantId: string, opts: Omit<DiscoverOptions, 'onProgress'>, onProgress?: (event: DiscoveryProgress) => void): Promise<DiscoveryOutcome> {
    if (this.running) throw new NavisError('EXECUTIONS_LIMIT', 'A discovery is already running. Try again when it has finished.');
    this.running = true;
    const browserProcess = await this.pool.acquire(DEFAULT_SCREEN).catch((error) => {
      this.running = false;
      throw error;
    });
    try {
      const browser = await browserProcess.playwright();
      const discovery = new SiteDiscovery({ openPage: pageOpener(browser), log: this.log, namer: namerFrom(this.config, this.log) });
      const { manifest, report } = await discovery.discover({ ...opts, onProgress });
      const { created } = this.manifests.put(tenantId, manifest.slug, manifest);
      this.log.info({ slug: manifest.slug, states: report.states, actions: report.actions }, 'site discovered');
      return { slug: manifest.slug, created, manifest, report };
    } finally {
      await browserProcess.close(1000);
      this.running = false;
    }
  }
}
