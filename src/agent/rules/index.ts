// The rule planner (no model needed): see planner.ts for how it runs, parse.ts for the phrasing it
// understands, match.ts for how it finds elements and explore.ts for how it finds hidden ones.
export { RulePlanner, rulePlannerFactory } from './planner.js';
export { parseInstruction } from './parse.js';
