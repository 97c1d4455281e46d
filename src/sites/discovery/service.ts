// Runs a discovery for the API and the CLI: a browser from the warm pool behind the tenant's
// network policy, at most NAVIS_MAX_DISCOVERIES at once (and the tenant's own limit), the manifest
// stored for the tenant, the browser closed whatever happens.
import type { Logger } from 'pino';
import type { BrowserPool } from '../../browsers/pool.js';
import type { Config } from '../../config.js';
import { NavisError } from '../../errors.js';
import { NavigationGuard } from '../../network/guard.js';
import type { OwnEndpoints } from '../../network/policy.js';
import type { TenantPolicies } from '../../sessions/network.js';
import { TenantSlots } from '../../tenants/slots.js';
import { DEFAULT_SCREEN } from '../../sessions/types.js';
import type { Manifest } from '../manifest.js';
import type { ManifestService } from '../service.js';
import {
  SiteDiscovery,
  pageOpener,
  type DiscoverOptions,
  type DiscoveryProgress,
  type DiscoveryReport,
} from './index.js';
import { namerFrom } from './llm-namer.js';

export interface DiscoveryOutcome {
  slug: string;
  created: boolean;
  manifest: Manifest;
  report: DiscoveryReport;
}

export class DiscoveryService {
  private readonly slots: TenantSlots;

  constructor(
    private readonly pool: BrowserPool,
    private readonly manifests: ManifestService,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly network: { tenants: TenantPolicies; endpoints: OwnEndpoints },
  ) {
    this.slots = new TenantSlots(
      () => config.maxDiscoveries,
      (tenantId) => network.tenants.limitsOf(tenantId).maxDiscoveries,
      (max) =>
        new NavisError(
          'EXECUTIONS_LIMIT',
          `${max === 1 ? 'A discovery is' : `${max} discoveries are`} already running. Try again when ${max === 1 ? 'it has' : 'one has'} finished.`,
        ),
    );
  }

  async discover(
    tenantId: string,
    opts: Omit<DiscoverOptions, 'onProgress'>,
    onProgress?: (event: DiscoveryProgress) => void,
  ): Promise<DiscoveryOutcome> {
    const release = this.slots.take(tenantId);
    try {
      const route = this.network.tenants.routeOf(tenantId);
      const browserProcess = await this.pool.acquire(DEFAULT_SCREEN);
      try {
        await browserProcess.egress?.setRoute(route);
        const browser = await browserProcess.playwright();
        const guard = new NavigationGuard(route, this.network.endpoints, browserProcess.egress);
        const discovery = new SiteDiscovery({
          openPage: pageOpener(browser),
          guard,
          log: this.log,
          namer: namerFrom(this.config, this.log),
        });
        const { manifest, report } = await discovery.discover({ ...opts, onProgress });
        const { created } = this.manifests.put(tenantId, manifest.slug, manifest);
        this.log.info({ slug: manifest.slug, states: report.states, actions: report.actions }, 'site discovered');
        return { slug: manifest.slug, created, manifest, report };
      } finally {
        await browserProcess.close(1000);
      }
    } finally {
      release();
    }
  }
}
