import { z } from 'zod';
import type { AgentMatch } from '../src/agents/types.js';
import type { CoordinationContext } from './strategy.js';
import { taskPrompt } from './common.js';
import { renderPrompt, type PromptOverrides } from './prompts.js';

/** What a bidder offers: its cost (effort units) and its confidence of success. */
export interface Offer {
  readonly cost: number;
  readonly confidence: number;
  readonly rationale?: string;
}

/** Produces one agent's sealed bid for a task. */
export type Bidder = (input: { readonly match: AgentMatch; readonly context: CoordinationContext }) => Offer | Promise<Offer>;

/**
 * A bid without a model call: cost = task effort × (2 − capability coverage), confidence =
 * 0.5 + 0.5 × coverage. An agent covering every capability asks the task's effort, one covering
 * none asks twice that, less sure of itself.
 */
export const deterministicBidder: Bidder = ({ match, context }) => {
  const coverage = Math.min(1, Math.max(0, match.capabilityCoverage));
  return { cost: context.task.effort * (2 - coverage), confidence: 0.5 + 0.5 * coverage, rationale: `capability coverage ${coverage}` };
};

const BidSchema = z.object({
  cost: z.number().positive().describe('Your estimated effort for the whole task, in the units described'),
  confidence: z.number().min(0.01).max(1).describe('Probability you will complete it correctly, 0.01 to 1'),
  rationale: z.string().describe('One sentence'),
});

/** A bidder that asks the agent's own model for a bid (`prompts/bid.md`), a short structured call. */
export function modelBidder(prompts?: PromptOverrides): Bidder {
  return async ({ match, context }) => {
    const { object } = await context.modelFor(match.agent).generateObject({
      system: match.agent.systemPrompt,
      prompt: renderPrompt('bid', { task: taskPrompt(context), effort: context.task.effort, agent: match.agent.name }, prompts),
      schema: BidSchema,
      schemaName: 'bid',
      maxTokens: 300,
      signal: context.signal,
    });
    return object;
  };
}
