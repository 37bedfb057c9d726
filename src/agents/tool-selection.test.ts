import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import type { Tool } from '../tools/types.js';
import { approvalFor, toolsForAgent, type ToolAccess, type ToolCallApproval } from './tool-selection.js';

const search = defineTool({ name: 'search', description: 'Searches', input: z.object({}), execute: () => [] });
const wipe = defineTool({ name: 'wipe_disk', description: 'Wipes a disk', input: z.object({}), sideEffects: true, execute: () => 'wiped' });
const send = defineTool({ name: 'send_mail', description: 'Sends mail', input: z.object({}), sideEffects: true, execute: () => 'sent' });
const runtimeTools: ReadonlyMap<string, Tool> = new Map([search, wipe, send].map((t) => [t.name, t]));
const names = (tools: ReadonlyMap<string, Tool>) => [...tools.keys()];
const grants = (byAgent: Record<string, string[]>): ToolAccess => ({ grants: new Map(Object.entries(byAgent).map(([a, t]) => [a, new Set(t)])) });

describe('toolsForAgent', () => {
  it('gives an agent without a tools list every read-only tool and no side-effecting one', () => {
    const selection = toolsForAgent({ name: 'writer' }, runtimeTools);
    expect(names(selection.tools)).toEqual(['search']);
    expect([...selection.withheld.keys()]).toEqual(['wipe_disk', 'send_mail']);
    expect(selection.withheld.get('wipe_disk')).toMatch(/tool "wipe_disk" .*agent "writer" is not granted it/);
    expect(selection.withheld.get('wipe_disk')).toContain('toolGrants ({ "writer": ["wipe_disk"] })');
  });

  it('counts a side-effecting tool named in the agent’s own tools list as granted', () => {
    const selection = toolsForAgent({ name: 'ops', tools: ['wipe_disk', 'search'] }, runtimeTools);
    expect(names(selection.tools)).toEqual(['wipe_disk', 'search']);
    expect(selection.withheld.size).toBe(0);
    expect(selection.needApproval.size).toBe(0);
  });

  it('offers a side-effecting tool the runtime grants to this agent, and only to it', () => {
    const access = grants({ writer: ['wipe_disk'] });
    expect(names(toolsForAgent({ name: 'writer' }, runtimeTools, access).tools)).toEqual(['search', 'wipe_disk']);
    expect(names(toolsForAgent({ name: 'editor' }, runtimeTools, access).tools)).toEqual(['search']);
  });

  it('with an approval hook, offers ungranted side-effecting tools, each call to be approved', () => {
    const access: ToolAccess = { ...grants({ writer: ['send_mail'] }), approve: () => true };
    const selection = toolsForAgent({ name: 'writer' }, runtimeTools, access);
    expect(names(selection.tools)).toEqual(['search', 'wipe_disk', 'send_mail']);
    expect([...selection.needApproval]).toEqual(['wipe_disk']);
    expect(selection.withheld.size).toBe(0);
  });

  it('lets the agent’s own lists bound every grant: disallowedTools and an explicit tools list win', () => {
    const access: ToolAccess = { ...grants({ writer: ['wipe_disk'] }), approve: () => true };
    expect(names(toolsForAgent({ name: 'writer', disallowedTools: ['wipe_disk'] }, runtimeTools, access).tools)).toEqual(['search', 'send_mail']);
    expect(names(toolsForAgent({ name: 'writer', tools: ['search'] }, runtimeTools, access).tools)).toEqual(['search']);
  });

  it('reports listed names the runtime lacks', () => {
    expect(toolsForAgent({ name: 'coder', tools: ['Read', 'search'] }, runtimeTools).missing).toEqual(['Read']);
  });
});

describe('approvalFor', () => {
  it('asks the hook only about tools that need approval, with the agent, task, tool and input', async () => {
    const asked: ToolCallApproval[] = [];
    const access: ToolAccess = { grants: new Map(), approve: (call) => (asked.push(call), false) };
    const selection = toolsForAgent({ name: 'writer' }, runtimeTools, access);
    const approve = approvalFor(selection, access, { agent: 'writer', taskId: 't1' })!;
    const signal = new AbortController().signal;
    expect(await approve({ tool: search, input: {}, callId: 'c1', signal })).toBe(true);
    expect(await approve({ tool: wipe, input: { path: '/' }, callId: 'c2', signal })).toBe(false);
    expect(asked).toEqual([{ agent: 'writer', tool: 'wipe_disk', input: { path: '/' }, taskId: 't1', signal }]);
  });

  it('is absent when nothing needs approval', () => {
    const access: ToolAccess = { grants: new Map(), approve: () => true };
    expect(approvalFor(toolsForAgent({ name: 'ops', tools: ['wipe_disk'] }, runtimeTools, access), access, { agent: 'ops' })).toBeUndefined();
    expect(approvalFor(toolsForAgent({ name: 'writer' }, runtimeTools), undefined, { agent: 'writer' })).toBeUndefined();
  });
});
