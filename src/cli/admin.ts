// `navis tenants list|create|get|update|delete` and `navis keys list|create|revoke`: the /admin
// routes, for the admin API key. A new key is printed once, as navis answers it once.
import { Option, type Command } from 'commander';
import { NavisClient, segment, type ClientOptions, type WithServer } from './client.js';
import { hostList, limitOrNone } from './input.js';
import { ago, emit, fields, table } from './output.js';

interface Tenant {
  id: string;
  name: string;
  created_at: string;
  network: { allowPrivate: boolean; allowHosts: string[]; denyHosts: string[] };
  limits: { maxSessions: number; maxSiteExecutions: number; maxDiscoveries: number };
  disabled: boolean;
  disabled_at: string | null;
}

interface ApiKey {
  id: string;
  tenant_id: string;
  prefix: string;
  label: string | null;
  is_admin: boolean;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const list = (items: string[]) => (items.length ? items.join(', ') : '-');

function describeTenant(t: Tenant): string {
  return fields([
    ['tenant', t.id],
    ['name', t.name],
    ['status', t.disabled ? `disabled since ${t.disabled_at}` : 'enabled'],
    ['created', `${t.created_at} (${ago(t.created_at)})`],
    ['private addresses', t.network.allowPrivate ? 'allowed' : 'refused'],
    ['allowed hosts', list(t.network.allowHosts)],
    ['denied hosts', list(t.network.denyHosts)],
    ['max sessions', t.limits.maxSessions],
    ['max site executions', t.limits.maxSiteExecutions],
    ['max discoveries', t.limits.maxDiscoveries],
  ]);
}

const shownOnce = (apiKey: string) => `API key (shown once, store it now): ${apiKey}`;

interface TenantOptions extends ClientOptions {
  name?: string;
  allowPrivate?: boolean;
  allowHosts?: string[];
  denyHosts?: string[];
  maxSessions?: number | 'none';
  maxSiteExecutions?: number | 'none';
  maxDiscoveries?: number | 'none';
  disable?: boolean;
  enable?: boolean;
}

/** The network and limits fields of a create or update body, from the options given (the others stay out). */
function policyOf(opts: TenantOptions) {
  const network = { allowPrivate: opts.allowPrivate, allowHosts: opts.allowHosts, denyHosts: opts.denyHosts };
  const limit = (value?: number | 'none') => (value === 'none' ? null : value);
  const limits = {
    maxSessions: limit(opts.maxSessions),
    maxSiteExecutions: limit(opts.maxSiteExecutions),
    maxDiscoveries: limit(opts.maxDiscoveries),
  };
  const given = (o: object) => (Object.values(o).some((v) => v !== undefined) ? o : undefined);
  return { network: given(network), limits: given(limits) };
}

/** The options create and update share: network policy and limits. */
function withPolicy(cmd: Command): Command {
  return cmd
    .option('--allow-private', "open loopback, private and link-local addresses to the tenant's browsers")
    .option('--no-allow-private', 'close them again')
    .option(
      '--allow-hosts <hosts>',
      "comma-separated hosts opened even when private (replaces the list; '' empties it)",
      hostList,
    )
    .option(
      '--deny-hosts <hosts>',
      "comma-separated hosts refused even when public (replaces the list; '' empties it)",
      hostList,
    )
    .option('--max-sessions <n|none>', 'sessions at once (none: the server limit)', limitOrNone)
    .option('--max-site-executions <n|none>', 'site actions and views at once', limitOrNone)
    .option('--max-discoveries <n|none>', 'site discoveries at once', limitOrNone);
}

export function adminCommands(program: Command, withServer: WithServer): void {
  const tenants = program.command('tenants').description('tenants, their network policy and limits (admin key)');

  withServer(tenants.command('list'))
    .description('every tenant')
    .action(async (opts: ClientOptions) => {
      const answer = await new NavisClient(opts).json<{ tenants: Tenant[] }>('GET', '/admin/tenants');
      emit(opts, answer, () =>
        table(
          answer.tenants,
          [
            ['id', (t) => t.id],
            ['name', (t) => t.name],
            ['status', (t) => (t.disabled ? 'disabled' : 'enabled')],
            ['private', (t) => (t.network.allowPrivate ? 'allowed' : 'refused')],
            ['max sessions', (t) => t.limits.maxSessions],
            ['created', (t) => ago(t.created_at)],
          ],
          'No tenants.',
        ),
      );
    });

  withServer(tenants.command('get <id>'))
    .description('one tenant: network policy and limits')
    .action(async (id: string, opts: ClientOptions) => {
      const tenant = await new NavisClient(opts).json<Tenant>('GET', `/admin/tenants/${segment(id)}`);
      emit(opts, tenant, () => describeTenant(tenant));
    });

  withPolicy(withServer(tenants.command('create <name>')))
    .description('create a tenant and its first API key (printed once)')
    .action(async (name: string, opts: TenantOptions) => {
      const answer = await new NavisClient(opts).json<Tenant & { api_key: string }>('POST', '/admin/tenants', {
        name,
        ...policyOf(opts),
      });
      emit(opts, answer, () => `${describeTenant(answer)}\n${shownOnce(answer.api_key)}`);
    });

  withPolicy(withServer(tenants.command('update <id>')))
    .description("change a tenant's name, network policy or limits, or disable it (its sessions end at once)")
    .option('--name <name>', 'a new name')
    .addOption(new Option('--disable', 'refuse its keys and end its sessions').conflicts('enable'))
    .option('--enable', 'accept its keys again')
    .action(async (id: string, opts: TenantOptions) => {
      const disabled = opts.disable ? true : opts.enable ? false : undefined;
      const tenant = await new NavisClient(opts).json<Tenant>('PATCH', `/admin/tenants/${segment(id)}`, {
        name: opts.name,
        ...policyOf(opts),
        disabled,
      });
      emit(opts, tenant, () => describeTenant(tenant));
    });

  withServer(tenants.command('delete <id>'))
    .description('delete a tenant: its sessions end; its keys, profiles, credentials, manifests and cache go')
    .action(async (id: string, opts: ClientOptions) => {
      await new NavisClient(opts).send('DELETE', `/admin/tenants/${segment(id)}`);
      emit(opts, undefined, () => `Deleted tenant ${id}.`);
    });

  const keys = program.command('keys').description("tenants' API keys (admin key)");

  withServer(keys.command('list <tenant>'))
    .description("a tenant's keys: prefix, label, dates (never the keys themselves)")
    .action(async (tenant: string, opts: ClientOptions) => {
      const answer = await new NavisClient(opts).json<{ keys: ApiKey[] }>(
        'GET',
        `/admin/tenants/${segment(tenant)}/keys`,
      );
      emit(opts, answer, () =>
        table(
          answer.keys,
          [
            ['id', (k) => k.id],
            ['prefix', (k) => `${k.prefix}…`],
            ['label', (k) => k.label],
            ['admin', (k) => (k.is_admin ? 'yes' : '')],
            ['created', (k) => ago(k.created_at)],
            ['last used', (k) => ago(k.last_used_at)],
            ['revoked', (k) => (k.revoked_at ? ago(k.revoked_at) : '')],
          ],
          'No keys.',
        ),
      );
    });

  withServer(keys.command('create <tenant>'))
    .description('another API key for a tenant (printed once)')
    .option('--label <label>', 'what the key is for')
    .action(async (tenant: string, opts: ClientOptions & { label?: string }) => {
      const key = await new NavisClient(opts).json<ApiKey & { api_key: string }>(
        'POST',
        `/admin/tenants/${segment(tenant)}/keys`,
        { label: opts.label },
      );
      emit(
        opts,
        key,
        () =>
          `${fields([
            ['key id', key.id],
            ['tenant', key.tenant_id],
            ['label', key.label],
          ])}\n${shownOnce(key.api_key)}`,
      );
    });

  withServer(keys.command('revoke <keyId>'))
    .description('revoke a key: refused at once, and the sessions it created end')
    .action(async (keyId: string, opts: ClientOptions) => {
      const key = await new NavisClient(opts).json<ApiKey>('DELETE', `/admin/keys/${segment(keyId)}`);
      emit(opts, key, () => `Revoked key ${key.id} (${key.prefix}…).`);
    });
}
