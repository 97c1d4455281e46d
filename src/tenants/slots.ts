// Places of one kind (sessions, site executions, discoveries) held at once, counted for the whole
// server and per tenant, so one tenant cannot take every place (fair shares, SECURITY.md). A place
// is taken in one synchronous step and given back exactly once.
import type { NavisError } from '../errors.js';

export type SlotRefusal = (limit: number, whose: 'server' | 'tenant') => NavisError;

export class TenantSlots {
  private total = 0;
  private readonly perTenant = new Map<string, number>();

  constructor(
    /** The server's limit (a setting); read on every take, so it may change. */
    private readonly serverLimit: () => number,
    private readonly tenantLimit: (tenantId: string) => number,
    private readonly refuse: SlotRefusal,
  ) {}

  /** How many places are held, in all or by one tenant. */
  held(tenantId?: string): number {
    return tenantId === undefined ? this.total : (this.perTenant.get(tenantId) ?? 0);
  }

  /**
   * Takes a place for the tenant or throws the refusal; `extra` counts places held elsewhere (a
   * session service's running sessions). Returns the function that gives the place back.
   */
  take(tenantId: string, extra: { server: number; tenant: number } = { server: 0, tenant: 0 }): () => void {
    const server = this.serverLimit();
    if (this.total + extra.server >= server) throw this.refuse(server, 'server');
    const tenant = this.tenantLimit(tenantId);
    if (this.held(tenantId) + extra.tenant >= tenant) throw this.refuse(tenant, 'tenant');
    this.total++;
    this.perTenant.set(tenantId, this.held(tenantId) + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total--;
      const left = this.held(tenantId) - 1;
      if (left > 0) this.perTenant.set(tenantId, left);
      else this.perTenant.delete(tenantId);
    };
  }
}
