// A fixture route that holds every request until the test opens it: work that reaches it stays
// under way (holding its session, its execution slot or its discovery) for as long as the test
// needs, with no timing guesses. `arrived` tells how many requests came.
import type { FixtureRoute } from './fixtures.js';

export interface Gate {
  /** The route to pass to startFixtureServer({routes: {'/gate': gate.route}}). */
  route: FixtureRoute;
  /** Requests that reached the route so far. */
  readonly arrived: number;
  /** Resolves once `n` requests have arrived. */
  waitForArrivals(n: number): Promise<void>;
  /** Answers every held request, and every later one at once. */
  open(): void;
}

export function gate(body = '<!doctype html><title>gate</title><p id="opened">opened</p>'): Gate {
  let arrived = 0;
  let opened = false;
  const held: Array<() => void> = [];
  const watchers: Array<{ n: number; resolve: () => void }> = [];
  return {
    route: (_req, res) => {
      arrived++;
      for (const w of watchers.filter((w) => arrived >= w.n)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
      const answer = () => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(body);
      };
      if (opened) answer();
      else held.push(answer);
    },
    get arrived() {
      return arrived;
    },
    waitForArrivals(n) {
      if (arrived >= n) return Promise.resolve();
      return new Promise((resolve) => watchers.push({ n, resolve }));
    },
    open() {
      opened = true;
      for (const answer of held.splice(0)) answer();
    },
  };
}
