// The rule planner: needs no model and costs no credits. Parses the instruction once into intents
// (parse.ts), then plans one step per call against the fresh snapshot (plan.ts), keeping which
// intent — and which item of "check A and B" — it is on, and which openers it tried while
// exploring. Steps it did not plan (replayed from the step cache) count for the intents they do.
// Done answers what it typed and clicked, or the text it read.
import type { Action } from '../../actions/schemas.js';
import { fillText } from '../../actions/templates.js';
import { howClicked } from '../targets.js';
import type { Planner, PlannerDecision, PlannerFactory, PlannerInput, StepRecord } from '../types.js';
import { openerKey, openerKeys } from './explore.js';
import type { Intent } from './intents.js';
import { parseInstruction } from './parse.js';
import type { Plan, PlanContext } from './locate.js';
import { planIntent } from './plan.js';
import { readingOf } from './plan-read.js';
import type { TargetPhrase } from './phrases.js';
import { normalize, similarity } from './text.js';

/** Planning rounds allowed in one run: every clause's steps plus its exploration, with room to spare. */
const MAX_CALLS = 60;

type StepPlan = Extract<Plan, { kind: 'step' }>;

export class RulePlanner implements Planner {
  readonly name = 'rules';
  readonly creditsPerCall = 0;
  readonly wantsScreenshot = false;

  private intents?: Intent[];
  private index = 0;
  private item = 0;
  private tried = new Set<string>();
  private explored: string[] = [];
  private seen = new Set<string>();
  private memo = new Map<string, unknown>();
  private retyped = new Set<string>();
  /** History records already taken into account. */
  private accounted = 0;
  private pending?: StepPlan;
  private summaries: string[] = [];
  private readings: string[] = [];
  private calls = 0;

  constructor(private readonly opts: { now?: () => Date } = {}) {}

  async next(input: PlannerInput, signal?: AbortSignal): Promise<PlannerDecision> {
    signal?.throwIfAborted();
    if (!this.intents) {
      const parsed = parseInstruction(input.instruction);
      if (!parsed.ok) return { type: 'fail', error: parsed.error };
      this.intents = parsed.intents;
    }
    this.takeIn(input.history, input.variables);
    if (++this.calls > MAX_CALLS) {
      const clause = this.intents[this.index]?.clause ?? input.instruction;
      return {
        type: 'fail',
        error: `gave up on "${clause}" after ${MAX_CALLS} planning rounds: the page never showed what it needs`,
      };
    }
    const redo = this.cleared(input);
    if (redo) return redo;
    while (this.index < this.intents.length) {
      const intent = this.intents[this.index];
      const ctx: PlanContext = {
        instruction: input.instruction,
        page: input.page,
        history: input.history,
        now: this.opts.now?.() ?? new Date(),
        item: this.item,
        tried: this.tried,
        explored: this.explored,
        seen: this.seen,
        memo: this.memo,
      };
      // The tab shown when the search starts hides nothing: never "explore" back to it.
      if (!this.seen.size)
        for (const el of input.page.elements) if (el.role === 'tab' && el.selected) this.tried.add(openerKey(el));
      const plan = planIntent(intent, ctx);
      for (const key of openerKeys(input.page)) this.seen.add(key);
      if (plan.kind === 'fail') return { type: 'fail', error: plan.error };
      if (plan.kind === 'skip') {
        this.summaries.push(plan.summary);
        this.move(plan.effect);
        continue;
      }
      this.pending = plan;
      // The summary, not the clause: a clause may hold a password, and thoughts are logged.
      return { type: 'step', step: plan.step, thought: plan.thought ?? plan.summary };
    }
    return { type: 'done', result: this.result() };
  }

  /**
   * A field typed into earlier that the page has emptied since (a popup that came up on focus
   * swallowed the typing): typed again, once, before going on. Never for a password (its value is
   * not in the snapshot) or a value of {{variables}} the planner cannot see.
   */
  private cleared(input: PlannerInput): PlannerDecision | undefined {
    for (const record of input.history) {
      const step = record.step;
      if (step.type !== 'type' || step.secret || !step.text || !step.target?.css || /\{\{/.test(step.text)) continue;
      const key = `retyped:${step.target.css}`;
      if (this.retyped.has(key)) continue;
      const el = input.page.elements.find((e) => e.css === step.target?.css);
      if (!el || !el.visible || el.disabled || el.value !== '') continue;
      if (
        input.history.some(
          (later) =>
            later !== record &&
            later.step.type === 'type' &&
            later.step.target?.css === step.target?.css &&
            input.history.indexOf(later) > input.history.indexOf(record),
        )
      )
        continue;
      this.retyped.add(key);
      const summary = `typed into ${el.name || 'a field'} again (the page had emptied it)`;
      this.pending = { kind: 'step', step, summary, effect: 'explore' };
      return { type: 'step', step, thought: summary };
    }
    return undefined;
  }

  /** Takes in the records added since the last call: the step planned last, then any replayed ones. */
  private takeIn(history: StepRecord[], variables: Record<string, string>): void {
    if (history.length < this.accounted) this.accounted = history.length;
    let fresh = history.slice(this.accounted);
    this.accounted = history.length;
    const pending = this.pending;
    this.pending = undefined;
    if (pending && fresh.length) {
      this.summaries.push(pending.summary);
      if (pending.effect === 'explore') {
        if (pending.opener) {
          this.tried.add(pending.opener.key);
          this.explored.push(pending.opener.name);
        }
      } else {
        if (pending.step.type === 'extract') this.readings.push(readingOf(fresh[0].extracted, pending.reading));
        this.move(pending.effect);
      }
      fresh = fresh.slice(1);
    }
    for (const record of fresh) this.attribute(record, variables);
  }

  private move(effect: 'advance' | 'item'): void {
    if (effect === 'item') {
      this.item++;
      return;
    }
    this.index++;
    this.item = 0;
    this.tried.clear();
    this.explored = [];
    this.seen.clear();
    this.memo.clear();
  }

  /**
   * A step this planner did not plan (replayed from the cache): does it do the current intent's part?
   * A cached step keeps {{name}} where a variable's value went; the intent holds the value (secret
   * ones stay {{name}} on both sides), so the step is compared with its variables filled in.
   */
  private attribute(record: StepRecord, variables: Record<string, string>): void {
    const intent = this.intents?.[this.index];
    if (!intent) return;
    this.summaries.push(record.summary);
    if (!fulfils(intent, withValues(record.step, variables), this.item)) return;
    if (record.step.type === 'extract') this.readings.push((record.extracted ?? '').trim());
    this.move(intent.verb === 'check' && this.item + 1 < intent.items.length ? 'item' : 'advance');
  }

  private result(): string {
    if (this.readings.length)
      return this.readings.filter(Boolean).join('\n') || 'Nothing to read: the text there was empty';
    if (!this.summaries.length) return 'Nothing to do';
    const text = this.summaries.join(', ');
    return text[0].toUpperCase() + text.slice(1);
  }
}

/** The step's typed or selected text with the run's variables filled in. */
function withValues(step: Action, variables: Record<string, string>): Action {
  if (step.type !== 'type' && step.type !== 'select') return step;
  return { ...step, text: fillText(step.text, variables) };
}

function targetFits(
  phrase: TargetPhrase | undefined,
  target: { name?: string; label?: string; placeholder?: string; text?: string } | undefined,
): boolean {
  if (!phrase || !phrase.text) return true;
  if (!target) return false;
  const names = [phrase.text, ...(phrase.anyOf ?? [])];
  return names.some((name) =>
    [target.name, target.label, target.placeholder, target.text].some((field) => similarity(name, field) >= 0.4),
  );
}

/** Whether a step already done is the one an intent asks for (used for replayed steps). */
export function fulfils(intent: Intent, step: Action, item: number): boolean {
  switch (intent.verb) {
    case 'navigate':
    case 'reload':
      return step.type === 'navigate';
    case 'history':
      return step.type === intent.direction;
    case 'open':
    case 'click':
      return (
        step.type === 'click' &&
        targetFits(intent.target, step.target) &&
        (intent.verb === 'open' || intent.how === howClicked(step))
      );
    case 'type':
    case 'select':
      return (
        (step.type === 'type' || step.type === 'select') &&
        (('valueKind' in intent && !!intent.valueKind) ||
          normalize(step.text) === normalize(intent.value) ||
          step.type === 'select')
      );
    case 'check':
      return step.type === 'check' && targetFits(intent.items[item], step.target);
    case 'press':
      return step.type === 'press' && step.key === intent.key;
    default:
      return step.type === intent.verb;
  }
}

export const rulePlannerFactory: PlannerFactory = { create: () => new RulePlanner() };
