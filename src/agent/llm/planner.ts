// The model-backed planner: each `next` asks the model for one tool call and maps it to a
// PlannerDecision. A reply that cannot be used (no tool call, an unknown tool or ref, bad
// arguments) is sent back once with what was wrong; a second bad reply fails the run. Each
// request to the model is one credit, and a run stops after `maxSteps` turns.
import type { PlannerDecision, Planner, PlannerInput } from '../types.js';
import type { ModelClient, ModelReply } from './client.js';
import { SYSTEM_PROMPT, correctionTurns, plannerTurn } from './prompt.js';
import { TOOL_SPECS, decisionFor } from './tools.js';

export interface LlmPlannerOptions {
  client: ModelClient;
  /** Turns one run may take before the planner gives up. */
  maxSteps: number;
  /** Whether the model is shown a screenshot of the page with each turn. */
  wantsScreenshot?: boolean;
}

/** Asking again after a bad reply is allowed this many times per turn. */
const CORRECTIONS_PER_TURN = 1;
const THOUGHT_CHARS = 500;

export class LlmPlanner implements Planner {
  readonly name = 'llm';
  readonly wantsScreenshot: boolean;
  private turns = 0;
  private requestsLastTurn = 0;

  constructor(private readonly options: LlmPlannerOptions) {
    this.wantsScreenshot = options.wantsScreenshot ?? false;
  }

  /**
   * One per model request: 1 for a plain turn, 2 when a bad reply was corrected, 0 when the step
   * limit stopped the run without asking. Read after `next` resolves, as the run loop does.
   */
  get creditsPerCall(): number {
    return this.requestsLastTurn;
  }

  async next(input: PlannerInput, signal?: AbortSignal): Promise<PlannerDecision> {
    this.requestsLastTurn = 0;
    if (this.turns >= this.options.maxSteps) {
      return {
        type: 'fail',
        error: `stopped after ${this.options.maxSteps} planner steps without finishing the instruction (NAVIS_LLM_MAX_STEPS)`,
      };
    }
    this.turns++;
    const messages = [plannerTurn(input)];
    for (let corrections = 0; ; corrections++) {
      const reply = await this.options.client.complete({ system: SYSTEM_PROMPT, messages, tools: TOOL_SPECS }, signal);
      this.requestsLastTurn++;
      const outcome =
        reply.call && !reply.problem
          ? decisionFor(reply.call, input.page)
          : { problem: reply.problem ?? 'the reply held no tool call' };
      if ('decision' in outcome) return withThought(outcome.decision, reply.text);
      if (corrections >= CORRECTIONS_PER_TURN) {
        return {
          type: 'fail',
          error: `the model gave no usable step after ${corrections + 1} tries: ${outcome.problem}`,
        };
      }
      messages.push(...correctionTurns(replyInWords(reply), outcome.problem));
    }
  }
}

function withThought(decision: PlannerDecision, text: string | undefined): PlannerDecision {
  if (decision.type !== 'step' || !text) return decision;
  return { ...decision, thought: text.length > THOUGHT_CHARS ? `${text.slice(0, THOUGHT_CHARS)}…` : text };
}

/** The model's own reply, repeated to it with the correction (never empty: some servers refuse that). */
function replyInWords(reply: ModelReply): string {
  const call = reply.call
    ? `${reply.call.name}(${typeof reply.call.args === 'string' ? reply.call.args : JSON.stringify(reply.call.args ?? {})})`
    : '';
  return [reply.text, call].filter(Boolean).join('\n') || '(an empty reply)';
}
