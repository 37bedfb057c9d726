import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balance, capabilityCoverage, selectLeader } from './hierarchy-rules.js';

describe('selectLeader', () => {
  it('picks the agent covering most of the task capabilities', () => {
    const leader = selectLeader(
      [
        { name: 'writer', capabilities: ['writing'] },
        { name: 'lead', capabilities: ['writing', 'research', 'planning'] },
        { name: 'researcher', capabilities: ['research'] },
      ],
      { capabilities: ['research', 'writing'] },
    );
    expect(leader.name).toBe('lead');
  });

  it('breaks coverage ties by match score, then priority, then breadth, then name', () => {
    const task = { capabilities: ['code'] };
    expect(selectLeader([{ name: 'a', capabilities: ['code'], matchScore: 1 }, { name: 'b', capabilities: ['code'], matchScore: 2 }], task).name).toBe('b');
    expect(selectLeader([{ name: 'a', capabilities: ['code'] }, { name: 'b', capabilities: ['code'], priority: 'high' }], task).name).toBe('b');
    expect(selectLeader([{ name: 'a', capabilities: ['code'] }, { name: 'b', capabilities: ['code', 'review'] }], task).name).toBe('b');
    expect(selectLeader([{ name: 'b', capabilities: ['code'] }, { name: 'a', capabilities: ['code'] }], task).name).toBe('a');
  });

  it('matches capabilities case-, space- and underscore-insensitively and needs at least one agent', () => {
    expect(capabilityCoverage(['Data Analysis'], ['data-analysis', 'sql'])).toBe(0.5);
    expect(capabilityCoverage(['code-review'], ['Code_Review'])).toBe(1); // as the agent matcher sees it
    expect(capabilityCoverage([], [])).toBe(1);
    expect(() => selectLeader([], { capabilities: [] })).toThrow(/no agents/);
  });
});

describe('balance', () => {
  const workers = [
    { name: 'A', capabilities: ['x'] },
    { name: 'B', capabilities: ['x'] },
  ];
  const item = (id: string, effort: number, capabilities: string[] = ['x']) => ({ id, effort, capabilities });

  it('assigns the longest items first, each to the least-loaded worker', () => {
    const result = balance([item('s1', 1), item('s2', 5), item('s3', 3), item('s4', 4), item('s5', 2), item('s6', 3)], workers);
    // LPT order 5,4,3,3,2,1: 5→A, 4→B, 3→B(7), 3→A(8), 2→B(9), 1→A(9).
    expect(result.assignments).toEqual([
      { item: 's1', agent: 'A' },
      { item: 's2', agent: 'A' },
      { item: 's3', agent: 'B' },
      { item: 's4', agent: 'B' },
      { item: 's5', agent: 'B' },
      { item: 's6', agent: 'A' },
    ]);
    expect(result.loads).toEqual({ A: 9, B: 9 });
  });

  it('counts the load a worker already carries', () => {
    const result = balance([item('s1', 2), item('s2', 2)], [{ name: 'A', capabilities: ['x'], load: 10 }, { name: 'B', capabilities: ['x'] }]);
    expect(result.assignments.map((a) => a.agent)).toEqual(['B', 'B']);
    expect(result.loads).toEqual({ A: 10, B: 4 });
  });

  it('gives an item only to the workers covering most of its capabilities, however loaded', () => {
    const result = balance([item('query', 1, ['sql']), item('other', 1, ['x'])], [{ name: 'A', capabilities: ['x', 'sql'], load: 50 }, { name: 'B', capabilities: ['x'] }]);
    expect(result.assignments).toEqual([
      { item: 'query', agent: 'A' },
      { item: 'other', agent: 'B' },
    ]);
  });

  it('rejects duplicate ids, non-positive effort and an empty team', () => {
    expect(() => balance([item('s', 1), item('s', 2)], workers)).toThrow(/duplicate item id "s"/);
    expect(() => balance([item('s', 0)], workers)).toThrow(/effort must be > 0/);
    expect(() => balance([item('s', 1)], [])).toThrow(/no workers/);
  });

  it('property: loads add up, and the spread between workers is at most the largest item', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 15 }), fc.integer({ min: 1, max: 4 }), (efforts, n) => {
        const team = Array.from({ length: n }, (_, i) => ({ name: `w${i}`, capabilities: ['x'] }));
        const result = balance(efforts.map((e, i) => item(`s${i}`, e)), team);
        const loads = Object.values(result.loads);
        expect(loads.reduce((a, c) => a + c, 0)).toBe(efforts.reduce((a, c) => a + c, 0));
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(...efforts));
      }),
    );
  });
});
