import pLimit from 'p-limit';
import { isStop } from '../errors/classify.js';
import { errorMessage } from '../errors/error-info.js';
import { AbortedError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import type { TaskSpec } from '../plan/types.js';
import type { BudgetTracker } from '../runtime/budget.js';
import type { TaskExecutor, TaskOutcome } from '../scheduler/types.js';
import type { Clock } from '../util/clock.js';
import { evaluate, truthy } from './expression.js';
import { WorkflowRunError } from './errors.js';
import { runTaskInstance, type TaskRunContext } from './task-runner.js';
import { stepKind, type Branch, type RaceBranch, type Step, type TaskStep, type Workflow } from './types.js';

/** What a workflow run needs from the run level it runs in. */
export interface WorkflowRunDeps {
  /** Runs one task instance: the run's strategy coordinating agents (journaled in a durable run). */
  readonly execute: TaskExecutor<string>;
  /** Asks `agent` which branch to take; resolves with one of `labels`. */
  readonly decide: (stepId: string, agent: string, question: string, labels: readonly string[], signal: AbortSignal) => Promise<string>;
  /** Resolves when `key` is approved, rejects when it is rejected (a `race` branch's `approval` trigger). */
  readonly approval: (stepId: string, key: string, policy: NonNullable<RaceBranch['approval']>, signal: AbortSignal) => Promise<void>;
  readonly events?: EventBus;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly budget?: BudgetTracker;
}

/** How a workflow ended: every task instance in the order it started, and why it stopped if it did. */
export interface WorkflowRun {
  /** One spec per task instance (`review`, `review#2` for a loop's second round, `scan[3]` for an item). */
  readonly tasks: readonly TaskSpec[];
  readonly outcomes: Readonly<Record<string, TaskOutcome<string>>>;
  readonly stoppedBy?:
    | { readonly kind: 'failure'; readonly taskId: string; readonly detail: string }
    | { readonly kind: 'cancelled'; readonly detail: string }
    | { readonly kind: 'waiting'; readonly taskIds: readonly string[]; readonly detail: string }
    | { readonly kind: 'stop'; readonly error: unknown };
}

/** A task that failed for good: ends its branch, and (fail-fast) the workflow. */
class TaskFailed extends Error {
  constructor(readonly taskId: string, detail: string) {
    super(detail);
  }
}

/** Where a step runs: the values expressions see, the previous step's outputs, the signal that withdraws it, and its instance suffix. */
interface Frame {
  readonly vars: Readonly<Record<string, unknown>>;
  /** The outputs of the step before, by task instance id: a task's default inputs. */
  previous: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Added to the ids of the task instances in this frame (`[2]` inside item 2 of a `for_each`). */
  readonly suffix: string;
}

/**
 * Runs a workflow's steps: tasks (and `goal` sub-goals, as decomposable tasks) through `deps.execute`,
 * control flow here. Block-structured, so each
 * pattern is a few lines over its branches: a parallel split awaits all its branches (AND-join), a
 * multi-choice only those it took, a discriminator the first, and a cancelled region's tasks are
 * aborted where they are. Task instances get stable ids in start order, so a durable run resumed
 * meets the same ids and takes completed ones from its journal.
 */
export async function runWorkflow(workflow: Workflow, deps: WorkflowRunDeps): Promise<WorkflowRun> {
  return new WorkflowInterpreter(deps).run(workflow);
}

class WorkflowInterpreter {
  private readonly tasks: TaskSpec[] = [];
  private readonly outcomes: Record<string, TaskOutcome<string>> = {};
  /** Every step's latest output by step id: a task's value, or a control step's task outputs. */
  private readonly outputs: Record<string, unknown> = {};
  private readonly occurrences = new Map<string, number>();
  private readonly regions = new Map<string, AbortController>();
  private readonly waiting: string[] = [];
  private readonly root = new AbortController();
  private cancelledCase?: string;
  private stop?: unknown;
  private readonly taskContext: Omit<TaskRunContext, 'signal'>;

  constructor(private readonly deps: WorkflowRunDeps) {
    const bus = deps.events;
    const emit = bus && bus.hasListeners() ? bus : undefined;
    this.taskContext = {
      execute: deps.execute,
      clock: deps.clock,
      events: {
        started: (task, attempt) => emit?.emit({ type: 'task.started', taskId: task.id, title: task.title, attempt }),
        completed: (taskId, durationMs, output) => emit?.emit({ type: 'task.completed', taskId, durationMs, output }),
        failed: (taskId, error, willRetry) => emit?.emit({ type: 'task.failed', taskId, error: errorMessage(error), willRetry }),
        cancelled: (taskId, reason) => emit?.emit({ type: 'task.cancelled', taskId, reason }),
        waiting: (taskId, reason) => emit?.emit({ type: 'task.waiting', taskId, reason }),
      },
    };
  }

  async run(workflow: Workflow): Promise<WorkflowRun> {
    const signal = AbortSignal.any([this.deps.signal, this.root.signal]);
    let failure: TaskFailed | undefined;
    try {
      await this.steps(workflow.steps, { vars: {}, previous: {}, signal, suffix: '' });
    } catch (error) {
      if (error instanceof TaskFailed) failure = error;
      else if (isStop(error, this.deps.signal)) this.stop = error;
      else if (!(error instanceof BranchEnded)) throw error;
    } finally {
      await this.settled();
    }
    const stoppedBy: WorkflowRun['stoppedBy'] = failure
      ? { kind: 'failure', taskId: failure.taskId, detail: failure.message }
      : this.stop !== undefined
        ? { kind: 'stop', error: this.stop }
        : this.cancelledCase !== undefined
          ? { kind: 'cancelled', detail: this.cancelledCase }
          : this.deps.signal.aborted
            ? { kind: 'cancelled', detail: errorMessage(this.deps.signal.reason) }
            : this.waiting.length > 0
              ? { kind: 'waiting', taskIds: [...this.waiting], detail: `waiting for approval: ${this.waiting.map((id) => `"${id}"`).join(', ')}` }
              : undefined;
    return { tasks: this.tasks, outcomes: this.outcomes, ...(stoppedBy ? { stoppedBy } : {}) };
  }

  /** A sequence, with `goto` jumps back to an earlier step of it (each at most its `max` times). */
  private async steps(steps: readonly Step[], frame: Frame): Promise<void> {
    const jumps = new Map<Step, number>();
    for (let i = 0; i < steps.length; i++) {
      if (frame.signal.aborted) return;
      const step = steps[i]!;
      if ('goto' in step) {
        const taken = jumps.get(step) ?? 0;
        if (taken < step.goto.max && truthy(this.evaluate(step.goto.when, frame, step))) {
          jumps.set(step, taken + 1);
          this.note(step, 'completed', `jump ${taken + 1} of at most ${step.goto.max} back to "${step.goto.to}"`);
          i = steps.findIndex((s) => s.id === step.goto.to) - 1;
        } else this.note(step, 'skipped', taken > 0 ? `no jump: ${taken} taken` : 'no jump');
        continue;
      }
      await this.step(step, frame);
    }
  }

  private async step(step: Step, frame: Frame): Promise<void> {
    if (stepKind(step) === 'task') return this.task(step as TaskStep, frame);
    this.note(step, 'started');
    const before = this.tasks.length;
    await this.control(step, frame);
    // A control step's output is the outputs of the tasks it ran, by id (what `inputs` and expressions read).
    const ran = this.tasks.slice(before).flatMap((t) => (this.outcomes[t.id]?.status === 'completed' ? [[t.id, this.outcomes[t.id]!.output!] as const] : []));
    if (step.id !== undefined) this.outputs[step.id] = Object.fromEntries(ran);
    // `frame.previous` (the next step's default inputs) is set by each kind in `control`: a loop's last
    // round, a join's branch ends, the discriminator's winner, not every task the step ran.
    // One end per step: a kind that reported its own (with what it decided) is not reported twice.
    if (frame.signal.aborted) this.note(step, 'cancelled');
    else if (!this.ended.delete(step)) this.note(step, 'completed');
  }

  private async control(step: Step, frame: Frame): Promise<void> {
    if ('sequence' in step) return this.steps(step.sequence, frame);
    if ('parallel' in step) return this.all(step.parallel.map((branch) => [branch]), frame);
    if ('choice' in step) {
      const branch = await this.choose(step, frame);
      if (branch) await this.steps(branch, frame);
      return;
    }
    if ('multi_choice' in step) {
      const taken = step.multi_choice.filter((b) => b.when === undefined || truthy(this.evaluate(b.when, frame, step)));
      this.note(step, 'completed', `took ${taken.length} of ${step.multi_choice.length} branches: ${taken.map((b, i) => b.label ?? String(step.multi_choice.indexOf(b) + 1 || i)).join(', ')}`);
      // Structured synchronizing merge: waits for the branches taken, and only those.
      return this.all(taken.map((b) => b.steps), frame);
    }
    if ('first' in step) return this.first(step.first.branches, step.first.rest ?? 'cancel', frame, step);
    if ('merge' in step) return this.merge(step.merge.branches, step.merge.then, frame);
    if ('repeat' in step) {
      for (let iteration = 1; iteration <= step.repeat.max; iteration++) {
        const inner = { ...frame, vars: { ...frame.vars, iteration } };
        await this.steps(step.repeat.steps, inner);
        frame.previous = inner.previous;
        if (frame.signal.aborted) return;
        if (truthy(this.evaluate(step.repeat.until, inner, step))) {
          this.note(step, 'completed', `until held after ${iteration} iteration(s)`);
          return;
        }
      }
      this.note(step, 'completed', `stopped at max ${step.repeat.max} iterations`);
      return;
    }
    if ('for_each' in step) return this.forEach(step, frame);
    if ('region' in step) {
      const controller = new AbortController();
      this.regions.set(step.id, controller);
      const inner: Frame = { ...frame, signal: AbortSignal.any([frame.signal, controller.signal]) };
      try {
        await this.steps(step.region, inner);
      } catch (error) {
        // A task the cancel withdrew ends the region, not the flow around it (WCP-25): go on after it.
        if (!(error instanceof BranchEnded && controller.signal.aborted && !frame.signal.aborted)) throw error;
      }
      frame.previous = inner.previous;
      if (controller.signal.aborted) this.note(step, 'cancelled', errorMessage(controller.signal.reason));
      return;
    }
    if ('cancel' in step) return this.cancel(step, frame);
    if ('race' in step) {
      const branch = await this.race(step.race, frame, step);
      if (branch) await this.steps(branch.steps, frame);
      return;
    }
    if ('workflow' in step) {
      const sub = step.workflow;
      if (typeof sub === 'string') throw new WorkflowRunError(this.stepName(step, 'workflow'), `sub-workflow "${sub}" was not loaded (load the file with loadWorkflowFile)`);
      return this.steps(sub.steps, frame);
    }
    // An agent-planned sub-goal: a decomposable task, which the run plans and runs one level deeper.
    if ('goal' in step) return this.task({ id: step.id, instructions: step.goal }, frame, { decomposable: true });
  }

  private async task(step: TaskStep, frame: Frame, options: { readonly decomposable?: boolean } = {}): Promise<void> {
    if (frame.signal.aborted) return;
    this.deps.budget?.check();
    const id = this.instanceId(step.id, frame.suffix);
    const item = frame.vars.item;
    // A step run again (a loop's round n): said in the prompt, so the agent is asked anew. (The run
    // reuses the answer to a prompt it has already sent, and a round whose inputs did not change, a
    // poll, would otherwise get round 1's answer every time and never see the condition change.)
    const round = /#(\d+)$/.exec(id)?.[1];
    const instructions = [
      step.instructions,
      ...(item === undefined ? [] : [`The item to work on: ${JSON.stringify(item)}`]),
      ...(round === undefined ? [] : [`This is run ${round} of this step: answer for now, not from an earlier run.`]),
      // A typed output: the agent must know to answer in JSON of this shape (it is checked at run time).
      ...(step.output === undefined ? [] : [`Answer with JSON only, matching this JSON Schema:\n${JSON.stringify(step.output)}`]),
    ].join('\n\n');
    const spec: TaskSpec = {
      id,
      title: step.title ?? step.id,
      instructions,
      capabilities: step.capabilities ?? [],
      dependsOn: [],
      priority: step.priority ?? 'medium',
      effort: 1,
      decomposable: options.decomposable ?? false,
      ...(step.agent !== undefined ? { agent: step.agent } : {}),
      ...(step.approval !== undefined ? { approval: step.approval } : {}),
      ...(step.compensate !== undefined ? { compensate: step.compensate } : {}),
    };
    this.tasks.push(spec);
    const inputs = step.inputs ? this.inputsOf(step.inputs) : frame.previous;
    const run = await runTaskInstance(step, spec, inputs, { ...this.taskContext, signal: frame.signal });
    this.outcomes[id] = run.outcome;
    if (run.outcome.status === 'waiting') this.waiting.push(id);
    if (run.outcome.status !== 'completed') {
      if (run.outcome.status === 'failed') throw new TaskFailed(id, `task "${id}" failed: ${run.outcome.error?.message ?? 'unknown error'}`);
      // Waiting or cancelled: this branch goes no further.
      throw new BranchEnded();
    }
    this.outputs[step.id] = run.value;
    frame.previous = { [id]: run.outcome.output! };
  }

  /** AND-join: every branch runs; the first failure withdraws the others and is rethrown. */
  private async all(branches: readonly (readonly Step[])[], frame: Frame): Promise<void> {
    const controller = new AbortController();
    const signal = AbortSignal.any([frame.signal, controller.signal]);
    const merged: Record<string, string> = {};
    const results = await Promise.allSettled(
      branches.map(async (steps) => {
        const inner: Frame = { ...frame, signal };
        try {
          await this.steps(steps, inner);
        } catch (error) {
          if (!(error instanceof BranchEnded)) controller.abort(new AbortedError(`a parallel branch failed: ${errorMessage(error)}`));
          throw error;
        }
        Object.assign(merged, inner.previous);
      }),
    );
    this.rethrow(results);
    frame.previous = merged;
  }

  /** Discriminator: the first branch to complete continues the flow; the rest are cancelled or ignored. */
  private async first(branches: readonly Step[], rest: 'cancel' | 'ignore', frame: Frame, step: Step): Promise<void> {
    const controller = new AbortController();
    const signal = rest === 'cancel' ? AbortSignal.any([frame.signal, controller.signal]) : frame.signal;
    const runs = branches.map(async (branch, index) => {
      const inner: Frame = { ...frame, signal };
      await this.steps([branch], inner);
      if (signal.aborted && !frame.signal.aborted) throw new BranchEnded();
      return { index, previous: inner.previous };
    });
    let winner: { index: number; previous: Readonly<Record<string, string>> };
    try {
      winner = await Promise.any(runs);
    } catch (error) {
      // None completed: report the first real failure.
      this.rethrow((error as AggregateError).errors.map((reason) => ({ status: 'rejected', reason }) as PromiseRejectedResult));
      return;
    }
    this.note(step, 'completed', `branch ${winner.index + 1} finished first; the others are ${rest === 'cancel' ? 'cancelled' : 'ignored'}`);
    if (rest === 'cancel') controller.abort(new AbortedError(`withdrawn: branch ${winner.index + 1} of "${this.stepName(step, 'first')}" finished first`));
    // Cancelled branches wind down before the flow goes on; ignored ones finish in the background, their results kept.
    const settled = Promise.allSettled(runs);
    if (rest === 'cancel') await settled;
    else this.background.push(settled);
    frame.previous = winner.previous;
  }

  /** Multi-merge: `then` runs once for every branch, as each completes. */
  private async merge(branches: readonly Step[], then: readonly Step[], frame: Frame): Promise<void> {
    const merged: Record<string, string> = {};
    const results = await Promise.allSettled(
      branches.map(async (branch, index) => {
        const inner: Frame = { ...frame, vars: { ...frame.vars, branch: index + 1 } };
        await this.steps([branch], inner);
        const after: Frame = { ...inner, suffix: frame.suffix };
        await this.steps(then, after);
        Object.assign(merged, after.previous);
      }),
    );
    this.rethrow(results);
    frame.previous = merged;
  }

  private async forEach(step: Extract<Step, { for_each: unknown }>, frame: Frame): Promise<void> {
    const spec = step.for_each;
    const list = this.evaluate(spec.in, frame, step);
    const name = this.stepName(step, 'for_each');
    if (!Array.isArray(list)) throw new WorkflowRunError(name, `for_each "in" must give a list, got ${list === null ? 'null' : typeof list} (${spec.in})`);
    this.note(step, 'started', `${list.length} instance(s), at most ${spec.concurrency ?? list.length} at once`);
    const limit = pLimit(spec.concurrency ?? Math.max(1, list.length));
    const controller = new AbortController();
    const signal = AbortSignal.any([frame.signal, controller.signal]);
    const merged: Record<string, string> = {};
    const results = await Promise.allSettled(
      list.map((item, index) =>
        limit(async () => {
          const inner: Frame = { vars: { ...frame.vars, [spec.as ?? 'item']: item, item, index }, previous: frame.previous, signal, suffix: `${frame.suffix}[${index}]` };
          try {
            await this.steps(spec.steps, inner);
          } catch (error) {
            if (!(error instanceof BranchEnded)) controller.abort(new AbortedError(`an instance failed: ${errorMessage(error)}`));
            throw error;
          }
          Object.assign(merged, inner.previous);
        }),
      ),
    );
    this.rethrow(results);
    frame.previous = merged;
  }

  private cancel(step: Extract<Step, { cancel: string }>, frame: Frame): void {
    if (step.when !== undefined && !truthy(this.evaluate(step.when, frame, step))) {
      this.note(step, 'skipped', `"${step.when}" did not hold`);
      return;
    }
    if (step.cancel === 'case') {
      this.cancelledCase = `cancelled by step "${this.stepName(step, 'cancel')}"`;
      this.root.abort(new AbortedError(this.cancelledCase));
      return;
    }
    const region = this.regions.get(step.cancel);
    if (!region) throw new WorkflowRunError(this.stepName(step, 'cancel'), `region "${step.cancel}" has not started, so it cannot be cancelled`);
    region.abort(new AbortedError(`region "${step.cancel}" cancelled by step "${this.stepName(step, 'cancel')}"`));
  }

  /** Exclusive choice: an agent's pick by label, or the first branch whose `when` holds, else `otherwise`. */
  private async choose(step: Extract<Step, { choice: unknown }>, frame: Frame): Promise<readonly Step[] | undefined> {
    const { branches, otherwise, decide } = step.choice;
    const name = this.stepName(step, 'choice');
    let chosen: Branch | undefined;
    if (decide) {
      const labels = branches.map((b, i) => b.label ?? `branch-${i + 1}`);
      const label = await this.deps.decide(name, decide.agent, decide.question, labels, frame.signal);
      chosen = branches[labels.indexOf(label)];
      if (!chosen) throw new WorkflowRunError(name, `agent "${decide.agent}" chose "${label}", which is not one of ${labels.join(', ')}`);
    } else chosen = branches.find((b) => b.when === undefined || truthy(this.evaluate(b.when, frame, step)));
    this.note(step, 'completed', chosen ? `took ${chosen.label ?? `branch ${branches.indexOf(chosen) + 1}`}` : otherwise ? 'took otherwise' : 'no branch held');
    return chosen?.steps ?? otherwise;
  }

  /** Deferred choice: the first trigger to fire wins (a timer, an approval); the others are withdrawn. */
  private async race(branches: readonly RaceBranch[], frame: Frame, step: Step): Promise<RaceBranch | undefined> {
    const name = this.stepName(step, 'race');
    const controller = new AbortController();
    const signal = AbortSignal.any([frame.signal, controller.signal]);
    const triggers = branches.map(async (branch, index) => {
      if (branch.approval !== undefined) await this.deps.approval(name, `race:${name}:${branch.label ?? index + 1}`, branch.approval, signal);
      else await this.deps.clock.sleep(branch.after ?? 0, signal);
      return branch;
    });
    try {
      const winner = await Promise.any(triggers);
      this.note(step, 'completed', `${winner.label ?? `branch ${branches.indexOf(winner) + 1}`} happened first`);
      return winner;
    } catch (error) {
      // Every trigger failed (rejected approvals, or the run stopped): nothing runs.
      const reasons = (error as AggregateError).errors ?? [error];
      const pending = reasons.find((reason: unknown) => (reason as { code?: string })?.code === 'APPROVAL_PENDING');
      if (pending) throw pending;
      this.note(step, 'skipped', 'no trigger happened');
      return undefined;
    } finally {
      controller.abort(new AbortedError('the race was decided'));
      await Promise.allSettled(triggers);
    }
  }

  private readonly background: Promise<unknown>[] = [];

  private rethrow(results: readonly PromiseSettledResult<unknown>[]): void {
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const real = failures.find((e) => !(e instanceof BranchEnded));
    if (real !== undefined) throw real;
    if (failures.length > 0) throw new BranchEnded();
  }

  private inputsOf(ids: readonly string[]): Record<string, string> {
    return Object.fromEntries(
      ids.flatMap((id) => {
        const value = this.outputs[id];
        if (value === undefined) return [];
        return [[id, typeof value === 'string' ? value : JSON.stringify(value)] as const];
      }),
    );
  }

  private evaluate(expression: string, frame: Frame, step: Step): unknown {
    try {
      return evaluate(expression, { outputs: this.outputs, ...frame.vars });
    } catch (error) {
      throw new WorkflowRunError(this.stepName(step, stepKind(step)), errorMessage(error));
    }
  }

  /** `id`, then `id#2`, `id#3` each time the same step runs again in the same frame (a loop's rounds). */
  private instanceId(stepId: string, suffix: string): string {
    const base = `${stepId}${suffix}`;
    const n = (this.occurrences.get(base) ?? 0) + 1;
    this.occurrences.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }

  private stepName(step: Step, kind: string): string {
    return step.id ?? kind;
  }

  /** Steps that reported their own end with a detail, so `step` does not report it again. */
  private readonly ended = new Set<Step>();

  private note(step: Step, phase: 'started' | 'completed' | 'skipped' | 'cancelled', detail?: string): void {
    if (phase !== 'started' && detail !== undefined) this.ended.add(step);
    const bus = this.deps.events;
    if (!bus?.hasListeners()) return;
    const kind = stepKind(step);
    bus.emit({ type: 'workflow.step', step: this.stepName(step, kind), kind, phase, ...(detail !== undefined ? { detail } : {}) });
  }

  /** Waits for branches left running in the background (an ignoring discriminator's losers). */
  private async settled(): Promise<void> {
    await Promise.allSettled(this.background);
  }
}

/** A branch that ended without failing (its task waits for approval, or was cancelled): its join goes no further either. */
class BranchEnded extends Error {
  constructor() {
    super('the branch ended');
  }
}
