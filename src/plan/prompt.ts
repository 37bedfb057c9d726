import type { AgentDefinition } from '../agents/types.js';
import { normalizeCapabilities } from '../agents/capabilities.js';
import { fillTemplate, readPromptTemplate } from '../util/prompt-template.js';
import type { PlanLimits } from './validate.js';

/** The package's planner template (`prompts/planner.md`), read on each call so nothing is cached in the module. */
export function defaultPlannerTemplate(): string {
  return readPromptTemplate('planner');
}

/** A rejected plan and why, for the re-ask. */
export interface PlannerFeedback {
  readonly previous: unknown;
  readonly problems: readonly string[];
}

export interface PlannerPromptInput {
  readonly template: string;
  readonly goal: string;
  readonly agents: readonly AgentDefinition[];
  readonly limits: PlanLimits;
  /** Extra context for the planner, e.g. the parent task when planning a sub-goal. */
  readonly context?: string;
  readonly feedback?: PlannerFeedback;
}

const REQUIRED = ['goal', 'agents', 'capabilities'] as const;

/**
 * Fills the planner template. Placeholders are `{{goal}}`, `{{context}}`, `{{agents}}`,
 * `{{capabilities}}`, `{{limits}}` and `{{feedback}}` (empty unless re-asking). A custom template must
 * use the first three; an unknown placeholder is a `ConfigError`.
 */
export function plannerPrompt(input: PlannerPromptInput): string {
  const values: Record<string, string> = {
    goal: input.goal.trim(),
    context: input.context?.trim() ? `\n# Context\n\n${input.context.trim()}\n` : '',
    agents: describeAgents(input.agents),
    capabilities: capabilityVocabulary(input.agents).join(', ') || '(none: leave every task\'s capabilities empty)',
    limits: describeLimits(input.limits),
    feedback: input.feedback ? describeFeedback(input.feedback) : '',
  };
  return fillTemplate(input.template, values, 'planner', REQUIRED);
}

/** Every capability some agent declares, sorted and deduplicated: the vocabulary the planner may use. */
export function capabilityVocabulary(agents: readonly AgentDefinition[]): string[] {
  return normalizeCapabilities(agents.flatMap((agent) => agent.capabilities)).sort();
}

/** The agents as the planner prompts list them. */
export function describeAgents(agents: readonly AgentDefinition[]): string {
  if (agents.length === 0) return '(no agents are registered; plan tasks that any general agent can do)';
  return agents
    .map((agent) => {
      const capabilities = agent.capabilities.length > 0 ? agent.capabilities.join(', ') : 'none declared';
      return `- **${agent.name}** (capabilities: ${capabilities}): ${agent.description.trim().replace(/\s+/g, ' ')}`;
    })
    .join('\n');
}

/** Plan limits as the planner prompts state them. */
export function describeLimits(limits: PlanLimits): string {
  const lines: string[] = [];
  if (limits.maxTasks !== undefined) lines.push(`- At most ${limits.maxTasks} tasks in total; fewer is better when tasks stay focused.`);
  if (limits.maxBreadth !== undefined)
    lines.push(`- At most ${limits.maxBreadth} tasks at the same dependency level (tasks that could all run at once).`);
  if (limits.maxDepth !== undefined) lines.push(`- Dependency chains at most ${limits.maxDepth} tasks long.`);
  return lines.length > 0 ? lines.join('\n') : '- No fixed limits; keep the plan as small as the goal allows.';
}

function describeFeedback(feedback: PlannerFeedback): string {
  return (
    `\n# Your previous plan was rejected\n\n` +
    'Your previous plan:\n\n```json\n' +
    `${JSON.stringify(feedback.previous, null, 2)}\n` +
    '```\n\nIt broke these rules:\n\n' +
    feedback.problems.map((problem) => `- ${problem}`).join('\n') +
    '\n\nFix every problem and reply with the whole corrected plan, not just the changed tasks.\n'
  );
}
