import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/random.js';
import { fastPlannerReply, fastPlanSpec } from './fast-parse.js';
import { PlannerReply } from './planner.js';
import { PlanSpec } from './types.js';

/**
 * The quick parser against zod, the authority: on generated plans (valid ones, and ones with a field
 * of the wrong kind, a key too many, an explicit `undefined`, a class instance…), whatever it accepts
 * zod accepts with the same value, key order included, and whatever zod rejects it leaves to zod.
 */
const random = seededRandom(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;
const maybe = (p: number) => random.next() < p;

const FIELD_VALUES: Record<string, readonly unknown[]> = {
  id: ['a', 't1', '', 3, null],
  title: ['Title', '', ['x']],
  instructions: ['Do it.', '', undefined],
  capabilities: [[], ['research'], ['a', 'b'], ['a', 2], 'research', [undefined], new Array(2)],
  dependsOn: [[], ['a'], ['t1', 't2'], [null], {}],
  priority: ['low', 'medium', 'high', 'critical', 'urgent', 1],
  effort: [1, 0.5, 3, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2'],
  decomposable: [true, false, 'yes', 0],
  agent: ['writer', '', 5, undefined],
  approval: [true, { timeoutMs: 5 }],
  compensate: [{ tool: 'undo' }],
  depends_on: [['a']],
  extra: ['x'],
};
const VALID: Record<string, readonly unknown[]> = {
  id: ['a', 't1'],
  title: ['Title'],
  instructions: ['Do it.'],
  capabilities: [['research'], ['a', 'b'], []],
  dependsOn: [[], ['a']],
  priority: ['low', 'medium', 'high', 'critical'],
  effort: [1, 0.5, 3],
  decomposable: [true, false],
  agent: ['writer'],
};

function task(): unknown {
  const out: Record<string, unknown> = {};
  const broken = maybe(0.5);
  // A valid task with every optional field present or not, in a random key order…
  const keys = Object.keys(VALID).filter((k) => ['id', 'title', 'instructions'].includes(k) || maybe(0.5));
  keys.sort(() => random.next() - 0.5);
  for (const key of keys) out[key] = pick(VALID[key]!);
  // …and, for half of them, one field replaced by anything (a wrong kind, an extra key, undefined).
  if (broken) {
    const key = pick(Object.keys(FIELD_VALUES));
    out[key] = pick(FIELD_VALUES[key]!);
  }
  if (maybe(0.02)) return Object.assign(Object.create({ inherited: true }), out);
  if (maybe(0.02)) return [out];
  return out;
}

function tasks(): unknown {
  if (maybe(0.03)) return [];
  if (maybe(0.02)) return 'tasks';
  return Array.from({ length: 1 + Math.floor(random.next() * 3) }, task);
}

function agree(fast: unknown, zod: { success: boolean; data?: unknown }): boolean {
  if (fast === undefined) return true;
  expect(zod.success).toBe(true);
  expect(fast).toStrictEqual(zod.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
  return false;
}

describe('fast plan parsing', () => {
  it('agrees with PlanSpec on 3,000 generated plans and takes most valid ones', () => {
    let accepted = 0;
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      const plan: Record<string, unknown> = { goal: maybe(0.97) ? 'Goal' : pick(['', 4]), tasks: tasks() };
      if (maybe(0.03)) plan.extra = 1;
      const zod = PlanSpec.safeParse(plan);
      if (zod.success) valid++;
      if (!agree(fastPlanSpec(plan), zod)) accepted++;
    }
    // Zod strips unknown keys and takes approvals, which the quick path leaves to it; most valid plans are quick.
    expect(valid).toBeGreaterThan(500);
    expect(accepted).toBeGreaterThan(valid * 0.6);
  });

  it('agrees with the planner reply schema, which has no agent pin', () => {
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const reply = { tasks: tasks() };
      if (!agree(fastPlannerReply(reply), PlannerReply.safeParse(reply))) accepted++;
    }
    expect(accepted).toBeGreaterThan(300);
    // An agent pin is the user's, not the planner's: zod strips it, so the quick path does not take it.
    expect(fastPlannerReply({ tasks: [{ id: 'a', title: 'A', instructions: 'Do.', agent: 'writer' }] })).toBeUndefined();
  });

  it('fills the defaults and copies the arrays, as zod does', () => {
    const capabilities = ['research'];
    const plan = fastPlanSpec({ goal: 'G', tasks: [{ id: 'a', title: 'A', instructions: 'Do.', capabilities }] })!;
    expect(plan.tasks[0]).toEqual({ id: 'a', title: 'A', instructions: 'Do.', capabilities: ['research'], dependsOn: [], priority: 'medium', effort: 1, decomposable: false });
    expect(plan.tasks[0]!.capabilities).not.toBe(capabilities);
  });
});
