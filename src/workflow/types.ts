import { z } from 'zod';
import { TaskPriority } from '../plan/types.js';

// The workflow language: today's plan format (`goal` + `tasks` with `dependsOn`), plus `steps`, a
// block-structured program of tasks and control flow with the classic workflow patterns (Russell,
// ter Hofstede, van der Aalst, Mulyar, "Workflow Control-Flow Patterns: A Revised View", 2006).
// Each step is one object with exactly one kind key (`instructions` for a task, `parallel`, `choice`,
// ...). Expressions (`when`, `until`, `in`) are strings in the safe expression language of
// `expression.ts`, evaluated over the outputs of earlier steps, never with `eval`.

/** A step id: referenced by expressions (`outputs.<id>`), `inputs`, `goto` and `cancel`. */
const StepId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: 'must start with a letter and use letters, digits, "_" or "-"' });
/** An expression of the workflow expression language. */
const Expression = z.string().min(1);

const Approval = z.union([z.boolean(), z.strictObject({ timeoutMs: z.number().int().positive().optional(), default: z.enum(['approve', 'reject']).optional() })]);
const Compensate = z.union([
  z.strictObject({ tool: z.string().min(1), input: z.unknown().optional() }),
  z.strictObject({ agent: z.string().min(1), prompt: z.string().min(1) }),
]);

/** A task: one unit of work for agents, coordinated by the run's strategy. */
export const TaskStep = z.strictObject({
  id: StepId,
  title: z.string().min(1).optional(),
  instructions: z.string().min(1),
  agent: z.string().min(1).optional(),
  capabilities: z.array(z.string()).optional(),
  priority: TaskPriority.optional(),
  /** Steps whose outputs this task reads; default the step before it (in a sequence), if any. */
  inputs: z.array(StepId).optional(),
  /** A JSON Schema the task's output must match: the agent answers in JSON, checked at run time. */
  output: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().int().positive().optional(),
  retry: z.strictObject({ maxAttempts: z.number().int().min(1), baseDelayMs: z.number().min(0).optional() }).optional(),
  approval: Approval.optional(),
  compensate: Compensate.optional(),
});
export type TaskStep = z.infer<typeof TaskStep>;

/** Every step kind. Recursive: control-flow steps hold steps. */
export type Step =
  | TaskStep
  | { readonly id?: string; readonly sequence: readonly Step[] }
  | { readonly id?: string; readonly parallel: readonly Step[] }
  | { readonly id?: string; readonly choice: ChoiceSpec }
  | { readonly id?: string; readonly multi_choice: readonly Branch[] }
  | { readonly id?: string; readonly first: FirstSpec }
  | { readonly id?: string; readonly merge: MergeSpec }
  | { readonly id?: string; readonly repeat: RepeatSpec }
  | { readonly id?: string; readonly goto: GotoSpec }
  | { readonly id?: string; readonly for_each: ForEachSpec }
  | { readonly id: string; readonly region: readonly Step[] }
  | { readonly id?: string; readonly cancel: string; readonly when?: string }
  | { readonly id?: string; readonly race: readonly RaceBranch[] }
  | { readonly id?: string; readonly workflow: string | Workflow }
  | { readonly id: string; readonly goal: string };

/** A branch: taken when `when` holds (`when` absent: always). `label` names it for an agent's decision. */
export interface Branch {
  readonly when?: string;
  readonly label?: string;
  readonly steps: readonly Step[];
}
/** Exclusive choice: the first branch whose `when` holds (or the one an agent picks), else `otherwise`. */
export interface ChoiceSpec {
  readonly branches: readonly Branch[];
  readonly otherwise?: readonly Step[];
  /** An agent picks the branch by its `label` instead of the `when`s. */
  readonly decide?: { readonly agent: string; readonly question: string };
}
/** Discriminator (`rest: cancel` or `ignore`): the first branch to finish continues the flow. */
export interface FirstSpec {
  readonly branches: readonly Step[];
  /** `cancel`: the other branches are cancelled; `ignore`: they finish, their outputs unused. Default `cancel`. */
  readonly rest?: 'cancel' | 'ignore';
}
/** Multi-merge: `then` runs once for each branch, as each finishes (`branch` names it). */
export interface MergeSpec {
  readonly branches: readonly Step[];
  readonly then: readonly Step[];
}
/** Structured loop: `steps` run, then `until` is checked; at most `max` times. */
export interface RepeatSpec {
  readonly steps: readonly Step[];
  readonly until: string;
  readonly max: number;
}
/** Arbitrary cycle: jump back to step `to` of the enclosing sequence while `when` holds, at most `max` times. */
export interface GotoSpec {
  readonly to: string;
  readonly when: string;
  readonly max: number;
}
/** Multiple instances: `steps` once per item of the list `in` evaluates to at run time (`as` names the item). */
export interface ForEachSpec {
  readonly in: string;
  readonly as?: string;
  readonly concurrency?: number;
  readonly steps: readonly Step[];
}
/** Deferred choice: the first trigger to happen wins (an approval, a timer, a condition), the others are withdrawn. */
export interface RaceBranch {
  readonly after?: number;
  readonly approval?: z.infer<typeof Approval>;
  readonly label?: string;
  readonly steps: readonly Step[];
}

const Steps: z.ZodType<readonly Step[]> = z.lazy(() => z.array(StepSchema));
const BranchSchema = z.strictObject({ when: Expression.optional(), label: z.string().min(1).optional(), steps: Steps });
const WorkflowRef: z.ZodType<string | Workflow> = z.lazy(() => z.union([z.string().min(1), WorkflowSchema]));

/** One step, validated: exactly one kind key (see `Step`). */
export const StepSchema: z.ZodType<Step> = z.lazy(() =>
  z.union([
    TaskStep,
    z.strictObject({ id: StepId.optional(), sequence: Steps }),
    z.strictObject({ id: StepId.optional(), parallel: Steps }),
    z.strictObject({
      id: StepId.optional(),
      choice: z.strictObject({
        branches: z.array(BranchSchema).min(1),
        otherwise: Steps.optional(),
        decide: z.strictObject({ agent: z.string().min(1), question: z.string().min(1) }).optional(),
      }),
    }),
    z.strictObject({ id: StepId.optional(), multi_choice: z.array(BranchSchema).min(1) }),
    z.strictObject({ id: StepId.optional(), first: z.strictObject({ branches: Steps, rest: z.enum(['cancel', 'ignore']).optional() }) }),
    z.strictObject({ id: StepId.optional(), merge: z.strictObject({ branches: Steps, then: Steps }) }),
    z.strictObject({ id: StepId.optional(), repeat: z.strictObject({ steps: Steps, until: Expression, max: z.number().int().min(1) }) }),
    z.strictObject({ id: StepId.optional(), goto: z.strictObject({ to: StepId, when: Expression, max: z.number().int().min(1) }) }),
    z.strictObject({
      id: StepId.optional(),
      for_each: z.strictObject({
        in: Expression,
        as: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
        concurrency: z.number().int().min(1).optional(),
        steps: Steps,
      }),
    }),
    z.strictObject({ id: StepId, region: Steps }),
    z.strictObject({ id: StepId.optional(), cancel: z.string().min(1), when: Expression.optional() }),
    z.strictObject({
      id: StepId.optional(),
      race: z
        .array(
          z.strictObject({
            after: z.number().int().min(0).optional(),
            approval: Approval.optional(),
            label: z.string().min(1).optional(),
            steps: Steps,
          }),
        )
        .min(2),
    }),
    z.strictObject({ id: StepId.optional(), workflow: WorkflowRef }),
    z.strictObject({ id: StepId, goal: z.string().min(1) }),
  ]),
) as z.ZodType<Step>;

/** A workflow: a goal and its steps. (A file with `tasks` instead of `steps` is a plan, run as today.) */
export interface Workflow {
  readonly workflow?: string;
  readonly goal: string;
  readonly steps: readonly Step[];
}

export const WorkflowSchema: z.ZodType<Workflow> = z.lazy(() =>
  z.strictObject({
    /** The language version, `"2.0"` (the card's `workflow_dsl` 2.0). */
    workflow: z.literal('2.0').optional(),
    goal: z.string().min(1),
    steps: z.array(StepSchema).min(1),
  }),
) as z.ZodType<Workflow>;

/** The kind of a step: the key that makes it what it is. */
export type StepKind =
  | 'task'
  | 'sequence'
  | 'parallel'
  | 'choice'
  | 'multi_choice'
  | 'first'
  | 'merge'
  | 'repeat'
  | 'goto'
  | 'for_each'
  | 'region'
  | 'cancel'
  | 'race'
  | 'workflow'
  | 'goal';

const KINDS: readonly Exclude<StepKind, 'task'>[] = ['sequence', 'parallel', 'choice', 'multi_choice', 'first', 'merge', 'repeat', 'goto', 'for_each', 'region', 'cancel', 'race', 'workflow', 'goal'];

export function stepKind(step: Step): StepKind {
  if ('instructions' in step) return 'task';
  return KINDS.find((kind) => kind in step)!;
}

/** Whether a value read from a file is a workflow (`steps`) rather than a plan (`tasks`). */
export function isWorkflow(value: unknown): value is Workflow {
  return typeof value === 'object' && value !== null && 'steps' in value;
}
