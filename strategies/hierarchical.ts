import { z } from 'zod';
import type { AgentDefinition, AgentRunResult } from '../src/agents/types.js';
import type { CoordinationContext, Strategy } from './strategy.js';
import { errorMessage } from '../src/errors/error-info.js';
import { decide, isNoFault, numberOption, requireCandidates, taskPrompt } from './common.js';
import { balance, selectLeader } from './hierarchy-rules.js';
import { renderPrompt, type PromptOverrides } from './prompts.js';

export interface HierarchicalOptions {
  /** Most subtasks a leader may split a task into. Default 5. */
  readonly maxSubtasks?: number;
  /**
   * Most levels of sub-leaders below the top leader. Default 2; never more than the runtime's
   * `limits.maxDepth` minus the task's depth (so `maxDepth: 0` means subordinates never lead).
   */
  readonly maxLevels?: number;
  readonly prompts?: PromptOverrides;
}

/** One node of the delegation tree, as recorded in the decision. */
export interface DelegationNode {
  readonly agent: string;
  readonly role: 'leader' | 'worker';
  readonly level: number;
  readonly subtask?: { readonly id: string; readonly title: string; readonly effort: number };
  /** For a leader: what it delegated, in the order it split the work. */
  readonly children?: readonly DelegationNode[];
  /** Loads after balancing, for a leader. */
  readonly loads?: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** What the hierarchy did, as recorded in `CoordinationResult.decision` and the `strategy.decision` event. */
export type HierarchicalDecision = {
  readonly strategy: 'hierarchical';
  readonly leader: string;
  /** Levels of sub-leaders the depth cap allowed below the top leader. */
  readonly allowedLevels: number;
  readonly tree: DelegationNode;
};

export interface HierarchicalStrategy extends Strategy {
  readonly name: 'hierarchical';
}

const NAME = 'hierarchical';

function splitSchema(maxSubtasks: number) {
  return z.object({
    subtasks: z
      .array(
        z.object({
          id: z.string().min(1).describe('Short unique id, e.g. "collect-data"'),
          title: z.string().min(1),
          instructions: z.string().min(1).describe('Self-contained instructions for the subordinate'),
          capabilities: z.array(z.string()).describe('Capabilities the subtask needs'),
          effort: z.number().positive().describe('Estimated effort, 1 = small'),
          delegate: z.boolean().describe('True if the subtask is big enough for its assignee to split it again'),
        }),
      )
      .min(1)
      .max(maxSubtasks)
      .superRefine((subtasks, ctx) => {
        const seen = new Set<string>();
        subtasks.forEach((s, i) => {
          if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate subtask id "${s.id}"` });
          seen.add(s.id);
        });
      }),
  });
}

interface Work {
  readonly title: string;
  readonly instructions: string;
  readonly capabilities: readonly string[];
}

/**
 * Hierarchical delegation: the agent with the best capability score leads; it splits the task
 * (structured call, `prompts/leader-split.md`), subtasks go to subordinates by current load and effort
 * (longest first), a subordinate may lead its own subtree within the depth cap, reports flow up and
 * each leader integrates them (`prompts/leader-integrate.md`).
 *
 * @example
 * const strategy = hierarchical({ maxSubtasks: 4, maxLevels: 1 });
 */
export function hierarchical(options: HierarchicalOptions = {}): HierarchicalStrategy {
  const maxSubtasks = numberOption(NAME, 'maxSubtasks', options.maxSubtasks, 5, { min: 1, integer: true });
  const maxLevels = numberOption(NAME, 'maxLevels', options.maxLevels, 2, { min: 0, integer: true });
  // Effort each agent carries across the tasks this instance is coordinating right now.
  const load = new Map<string, number>();
  const addLoad = (agent: string, effort: number) => load.set(agent, Math.max(0, (load.get(agent) ?? 0) + effort));

  return {
    name: NAME,
    async coordinate(context) {
      requireCandidates(NAME, context);
      const agents = context.candidates.map((m) => m.agent);
      const score = new Map(context.candidates.map((m) => [m.agent.name, m.score]));
      const leader = selectLeader(
        agents.map((a) => ({ name: a.name, capabilities: a.capabilities, ...(a.priority ? { priority: a.priority } : {}), matchScore: score.get(a.name) ?? 0 })),
        context.task,
      );
      const allowedLevels = Math.min(maxLevels, Math.max(0, context.depthLeft));
      const runs: AgentRunResult[] = [];
      const run = async (agent: AgentDefinition, prompt: string) => {
        const result = await context.runAgent(agent, prompt);
        runs.push(result);
        return result;
      };

      const lead = async (chief: AgentDefinition, work: Work, level: number, excluded: ReadonlySet<string>): Promise<{ output: string; node: DelegationNode }> => {
        const subordinates = agents.filter((a) => a.name !== chief.name && !excluded.has(a.name));
        if (subordinates.length === 0) {
          const result = await run(chief, workPrompt(context, work));
          return { output: result.output, node: { agent: chief.name, role: 'worker', level } };
        }
        const { object: plan } = await context.modelFor(chief).generateObject({
          system: chief.systemPrompt,
          prompt: renderPrompt(
            'leader-split',
            { task: workPrompt(context, work), team: describeTeam(subordinates), maxSubtasks, mayDelegate: level + 1 <= allowedLevels ? 'yes' : 'no' },
            options.prompts,
          ),
          schema: splitSchema(maxSubtasks),
          schemaName: 'split',
          signal: context.signal,
        });
        const { assignments, loads } = balance(
          plan.subtasks.map((s) => ({ id: s.id, effort: s.effort, capabilities: s.capabilities })),
          subordinates.map((a) => ({ name: a.name, capabilities: a.capabilities, load: load.get(a.name) ?? 0 })),
        );
        const below = new Set([...excluded, chief.name]);
        const reports = await Promise.allSettled(
          plan.subtasks.map(async (subtask, i) => {
            const assignee = subordinates.find((a) => a.name === assignments[i]!.agent)!;
            const subWork: Work = { title: subtask.title, instructions: subtask.instructions, capabilities: subtask.capabilities };
            const info = { id: subtask.id, title: subtask.title, effort: subtask.effort };
            addLoad(assignee.name, subtask.effort);
            try {
              if (subtask.delegate && level + 1 <= allowedLevels) {
                const sub = await lead(assignee, subWork, level + 1, below);
                return { output: sub.output, node: { ...sub.node, subtask: info } };
              }
              const result = await run(assignee, workPrompt(context, subWork));
              return { output: result.output, node: { agent: assignee.name, role: 'worker' as const, level: level + 1, subtask: info } };
            } finally {
              addLoad(assignee.name, -subtask.effort);
            }
          }),
        );
        const children: DelegationNode[] = [];
        const sections: string[] = [];
        reports.forEach((report, i) => {
          const subtask = plan.subtasks[i]!;
          const agent = assignments[i]!.agent;
          if (report.status === 'fulfilled') {
            children.push(report.value.node);
            sections.push(`<report subtask="${subtask.id}" title="${subtask.title}" by="${agent}">\n${report.value.output}\n</report>`);
          } else {
            if (isNoFault(report.reason, context.signal)) throw report.reason;
            children.push({ agent, role: 'worker', level: level + 1, subtask: { id: subtask.id, title: subtask.title, effort: subtask.effort }, error: errorMessage(report.reason) });
            sections.push(`<report subtask="${subtask.id}" title="${subtask.title}" by="${agent}" failed="true">\n${errorMessage(report.reason)}\n</report>`);
          }
        });
        if (reports.every((r) => r.status === 'rejected')) throw (reports[0] as PromiseRejectedResult).reason;
        const integrated = await run(chief, renderPrompt('leader-integrate', { task: workPrompt(context, work), reports: sections.join('\n\n') }, options.prompts));
        return { output: integrated.output, node: { agent: chief.name, role: 'leader', level, children, loads } };
      };

      const top = await lead(agents.find((a) => a.name === leader.name)!, { title: context.task.title, instructions: context.task.instructions, capabilities: context.task.capabilities }, 0, new Set());
      return decide(context, {
        output: top.output,
        agents: [...new Set(runs.map((r) => r.agent))],
        runs,
        decision: { strategy: 'hierarchical', leader: leader.name, allowedLevels, tree: top.node } satisfies HierarchicalDecision,
      });
    },
  };
}

function workPrompt(context: CoordinationContext, work: Work): string {
  if (work.title === context.task.title && work.instructions === context.task.instructions) return taskPrompt(context);
  return taskPrompt({ goal: context.goal, inputs: context.inputs, task: { ...context.task, title: work.title, instructions: work.instructions } });
}

function describeTeam(agents: readonly AgentDefinition[]): string {
  return agents.map((a) => `- ${a.name} (capabilities: ${a.capabilities.join(', ') || 'general'}): ${a.description}`).join('\n');
}
