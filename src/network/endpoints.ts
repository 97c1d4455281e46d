// navis's own endpoints on this machine: its API port, and the DevTools ports and egress
// listeners of the browsers it runs. No page reaches the latter two, whatever its tenant's policy
// (they would open another tenant's browser); the API only when a policy names it.
import net from 'node:net';
import type { OwnEndpoints } from './policy.js';

export class NavisEndpoints implements OwnEndpoints {
  private apiPort: number | undefined;
  private readonly ports = new Map<number, { what: 'devtools' | 'egress'; label: string }>();
  private readonly listeners: Array<() => void> = [];

  setApiPort(port: number): void {
    this.apiPort = port;
    this.changed();
  }

  /** A port of a browser's DevTools endpoint or of an egress listener, until `release`. */
  protect(port: number, what: 'devtools' | 'egress'): void {
    this.ports.set(port, {
      what,
      label: what === 'devtools' ? 'the DevTools endpoint of a navis browser' : "navis's egress proxy",
    });
    this.changed();
  }

  release(port: number): void {
    if (this.ports.delete(port)) this.changed();
  }

  /** Called after every change (the egress worker keeps a copy). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  snapshot(): { apiPort: number | undefined; ports: Array<[number, 'devtools' | 'egress']> } {
    return { apiPort: this.apiPort, ports: [...this.ports].map(([port, { what }]) => [port, what]) };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** What a port of a local address is, when it is navis's (the caller checked the address is local). */
  describe(_address: string, port: number): { what: 'devtools' | 'egress' | 'api'; label: string } | undefined {
    const known = this.ports.get(port);
    if (known) return known;
    if (port === this.apiPort) return { what: 'api', label: "navis's own API" };
    return undefined;
  }
}

/**
 * The source address of the guard's connections to loopback targets: navis's API tells a request
 * from one of its browsers (127.0.0.2) from a program on the machine (127.0.0.1). See
 * `fromNavisBrowser`.
 */
export const BROWSER_SOURCE_ADDRESS = '127.0.0.2';

let browserSourceUsable: Promise<boolean> | undefined;

/** Whether this machine lets a socket bind 127.0.0.2 (Linux does; some systems only have 127.0.0.1). */
export function canMarkBrowserConnections(): Promise<boolean> {
  browserSourceUsable ??= new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, BROWSER_SOURCE_ADDRESS, () => probe.close(() => resolve(true)));
  });
  return browserSourceUsable;
}

/** Whether a connection to navis came from one of its browsers through the guard. */
export function fromNavisBrowser(remoteAddress: string | undefined): boolean {
  return remoteAddress === BROWSER_SOURCE_ADDRESS || remoteAddress === `::ffff:${BROWSER_SOURCE_ADDRESS}`;
}
