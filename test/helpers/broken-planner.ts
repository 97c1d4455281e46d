// A planner with a bug, for the 500 of Run Single Action (seed 000): while `fn` runs, the built-in
// rule planner (NAVIS_PLANNER=rules, the default) is replaced by one whose `next` throws a plain
// TypeError carrying `marker`, as a bug in navis's own code would. The in-process navis of the test
// picks it up at its next action.
import { rulePlannerFactory } from '../../src/agent/rules/index.js';
import type { Planner } from '../../src/agent/types.js';

export async function withBrokenPlanner<T>(marker: string, fn: () => Promise<T>): Promise<T> {
  const create = rulePlannerFactory.create;
  const broken: Planner = {
    name: 'broken',
    creditsPerCall: 0,
    wantsScreenshot: false,
    next: async () => {
      throw new TypeError(`Cannot read properties of undefined (reading 'ref') [${marker}]`);
    },
  };
  rulePlannerFactory.create = () => broken;
  try {
    return await fn();
  } finally {
    rulePlannerFactory.create = create;
  }
}
