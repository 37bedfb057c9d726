/**
 * A scripted "team" for orchestrate tests: one reply function that answers planner, worker,
 * synthesizer, critic and reviser requests by looking at the request, the way a real model would
 * see them. Plans are looked up by a marker word in the goal being planned.
 */
import { defineAgent } from '../../src/agents/define.js';
import type { AgentDefinition } from '../../src/agents/types.js';
import type { ScriptedReply, ScriptFn } from '../../src/model/scripted.js';
import type { ProviderRequest } from '../../src/model/types.js';

export interface PlannedTask {
  readonly id: string;
  readonly title?: string;
  readonly instructions?: string;
  readonly capabilities?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly decomposable?: boolean;
  readonly effort?: number;
}

/** One worker request, as the script sees it. */
export interface WorkCall {
  readonly agent: string;
  /** The `Your task: ...` title, or '' when the prompt has none (strategy-specific prompts). */
  readonly title: string;
  readonly prompt: string;
  /** Outputs of tool calls already made in this agent loop. */
  readonly toolResults: readonly string[];
  readonly request: ProviderRequest;
}

export interface Script {
  /** The tasks to plan for a goal: the first key the goal contains wins. */
  readonly plans: Readonly<Record<string, readonly PlannedTask[]>>;
  /** A worker's reply; default `<agent> did <title>.` */
  readonly work?: (call: WorkCall) => ScriptedReply;
  /** The synthesizer's answer; default one paragraph per result, each citing its id. */
  readonly synthesize?: (ids: readonly string[], prompt: string) => string;
  /** The critic's reply to the answer under review (round = number of critiques so far, from 1). */
  readonly critique?: (answer: string, round: number) => string;
  /** The revised answer. */
  readonly revise?: (answer: string, critique: string, round: number) => string;
  /**
   * Structured strategy and judge calls by schema name (`bid`, `split`, `vote`, `verdict`, ...);
   * return undefined to use the default ({@link defaultStructured}).
   */
  readonly structured?: (name: string, request: ProviderRequest) => unknown;
  /**
   * The planner's reply to a re-plan request (`replan` option): the tasks replacing the failed one and
   * its dependents, or a raw reply string. Without it a re-plan request fails loudly.
   */
  readonly replan?: (call: ReplanCall) => readonly PlannedTask[] | string;
}

/** One re-plan request, as the script sees it. */
export interface ReplanCall {
  readonly failedTaskId: string;
  /** The failed task's error, as the prompt quotes it (`Error (CODE): message`). */
  readonly error: string;
  /** The ids to replace, the failed one first. */
  readonly replace: readonly string[];
  /** Completed tasks offered as dependencies, in prompt order. */
  readonly completed: readonly string[];
  /** 1 for the first ask, 2 for any re-ask after a rejected reply. */
  readonly attempt: number;
  readonly prompt: string;
}

/**
 * Defaults for the structured calls strategies and the judge make: bids that favour agents by name
 * order, a two-way split, a vote for the first option, a passing verdict.
 */
export function defaultStructured(name: string, request: ProviderRequest): unknown {
  const agent = agentOf(request);
  switch (name) {
    case 'bid':
      return { cost: 1 + agent.charCodeAt(0) / 100, confidence: 0.8, rationale: `${agent} can do it` };
    case 'split': {
      const of = titleOf(firstUserText(request));
      return {
        subtasks: [
          { id: 'part-1', title: `First part of ${of}`, instructions: `Do the first part of ${of}.`, capabilities: [], effort: 1, delegate: false },
          { id: 'part-2', title: `Second part of ${of}`, instructions: `Do the second part of ${of}.`, capabilities: [], effort: 1, delegate: false },
        ],
      };
    }
    case 'vote':
      return { option: /<option id="([^"]+)"/.exec(firstUserText(request))?.[1] ?? 'A', reason: 'it is right' };
    case 'verdict':
      return { pass: true, reasons: [] };
    default:
      throw new Error(`script: unexpected structured call "${name}"`);
  }
}

/** The kind of request, from its wording. */
export type CallKind = 'planner' | 'replanner' | 'synthesizer' | 'critic' | 'reviser' | 'worker' | 'structured';

export function kindOf(request: ProviderRequest): CallKind {
  const first = firstUserText(request);
  if (request.responseFormat?.name === 'plan') return 'planner';
  if (request.responseFormat?.name === 'replan') return 'replanner';
  if (request.responseFormat) return 'structured';
  if (first.startsWith('You are the synthesizer')) return 'synthesizer';
  if (first.startsWith('You are the critic')) return 'critic';
  if (first.startsWith('You are revising')) return 'reviser';
  return 'worker';
}

export function firstUserText(request: ProviderRequest): string {
  const first = request.messages.find((m) => m.role === 'user');
  return first?.content ?? '';
}

/** The goal section of a planner prompt. */
export function plannedGoal(request: ProviderRequest): string {
  const text = firstUserText(request);
  return text.split('# Goal')[1]?.split('# The agents')[0]?.trim() ?? '';
}

/** Result ids in a synthesizer prompt, in order. */
export function resultIds(prompt: string): string[] {
  return [...prompt.matchAll(/<result id="([^"]+)"/g)].map((m) => m[1]!);
}

export function agentOf(request: ProviderRequest): string {
  return /^You are ([^.]+)\./.exec(request.system ?? '')?.[1] ?? 'unknown';
}

export function titleOf(prompt: string): string {
  return /Your task: (.*)/.exec(prompt)?.[1]?.trim() ?? '';
}

/** The reply function for a script. Unknown goals and structured calls fail loudly. */
export function teamScript(script: Script): ScriptFn {
  let critiques = 0;
  let revisions = 0;
  return (request) => {
    const kind = kindOf(request);
    switch (kind) {
      case 'planner': {
        const goal = plannedGoal(request);
        const key = Object.keys(script.plans).find((k) => goal.includes(k));
        if (key === undefined) throw new Error(`script: no plan for goal ${JSON.stringify(goal.slice(0, 120))}`);
        return JSON.stringify({ tasks: script.plans[key]!.map((t) => plannerTask(t, key)) });
      }
      case 'replanner': {
        if (!script.replan) throw new Error('script: unexpected re-plan request');
        const prompt = firstUserText(request);
        const call: ReplanCall = {
          failedTaskId: /<failed-task id="([^"]+)"/.exec(prompt)?.[1] ?? '',
          error: /Error (\([^)]*\): .*)/.exec(prompt)?.[1] ?? '',
          replace: (/Ids to replace: (.*)/.exec(prompt)?.[1] ?? '').split(', ').filter(Boolean),
          completed: [...prompt.matchAll(/<completed-task id="([^"]+)"/g)].map((m) => m[1]!),
          attempt: prompt.includes('# Your previous reply was rejected') ? 2 : 1,
          prompt,
        };
        const reply = script.replan(call);
        return typeof reply === 'string' ? reply : JSON.stringify({ tasks: reply.map((t) => plannerTask(t, 're-plan')) });
      }
      case 'synthesizer': {
        const prompt = firstUserText(request);
        const ids = resultIds(prompt);
        return script.synthesize?.(ids, prompt) ?? ids.map((id) => `Merged ${id}. [${id}]`).join('\n\n');
      }
      case 'critic':
        critiques += 1;
        return script.critique?.(answerIn(firstUserText(request)), critiques) ?? 'NO CHANGES';
      case 'reviser': {
        revisions += 1;
        const text = firstUserText(request);
        const critique = text.split('## Critique')[1]?.split('## What to reply')[0]?.trim() ?? '';
        return script.revise?.(answerIn(text), critique, revisions) ?? answerIn(text);
      }
      case 'structured': {
        const name = request.responseFormat!.name;
        return JSON.stringify(script.structured?.(name, request) ?? defaultStructured(name, request));
      }
      case 'worker': {
        const prompt = firstUserText(request);
        const call: WorkCall = {
          agent: agentOf(request),
          title: titleOf(prompt),
          prompt,
          toolResults: request.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : [])),
          request,
        };
        return script.work?.(call) ?? `${call.agent} did ${call.title}.`;
      }
    }
  };
}

function plannerTask(t: PlannedTask, key: string) {
  return {
    id: t.id,
    title: t.title ?? `Do ${t.id}`,
    instructions: t.instructions ?? `Work on ${t.id} for "${key}".`,
    capabilities: t.capabilities ?? [],
    dependsOn: t.dependsOn ?? [],
    priority: 'medium',
    effort: t.effort ?? 1,
    decomposable: t.decomposable ?? false,
  };
}

function answerIn(text: string): string {
  return text.split('## Answer')[1]?.split(/## (Critique|What to reply)/)[0]?.trim() ?? '';
}

/** Agents whose system prompt is `You are <name>.`, so the script can tell them apart. */
export function team(specs: Readonly<Record<string, readonly string[]>>): AgentDefinition[] {
  return Object.entries(specs).map(([name, capabilities]) =>
    defineAgent({ name, description: `${name} agent (${capabilities.join(', ')})`, systemPrompt: `You are ${name}.`, capabilities }),
  );
}
