// A navigation guard for tests that drive a page without a navis session: private addresses open
// (fixtures are on 127.0.0.1), no egress proxy in front of the browser.
import { NavisEndpoints } from '../../src/network/endpoints.js';
import { NavigationGuard } from '../../src/network/guard.js';
import { CompiledPolicy, type NetworkPolicy } from '../../src/network/policy.js';

export function testGuard(policy: Partial<NetworkPolicy> = {}): NavigationGuard {
  const compiled = new CompiledPolicy(
    { allowPrivate: true, allowHosts: [], denyHosts: [], ...policy },
    "tenant 'test'",
  );
  return new NavigationGuard({ policy: compiled, schemes: { allowFileUrls: false } }, new NavisEndpoints());
}
