import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentDefinitionError } from '../agents/errors.js';
import type { TaskforceEvent } from '../events/types.js';
import { modelFromProvider } from '../model/model.js';
import { scriptedModel } from '../model/scripted.js';
import { createRuntime } from './runtime.js';

const MIXED = join('test', 'fixtures', 'agents-mixed');
const DUPLICATES = join('test', 'fixtures', 'agents', 'duplicates');
const model = () => modelFromProvider(scriptedModel({ replies: [] }));
const logs = (events: readonly TaskforceEvent[], level: string) =>
  events.flatMap((e) => (e.type === 'log' && e.level === level ? [e.message] : []));

describe('createRuntime with agentsDir', () => {
  it('loads the valid files of a folder and logs one warning per invalid file', async () => {
    const events: TaskforceEvent[] = [];
    const runtime = await createRuntime({ model: model(), agentsDir: MIXED, builtinAgents: false, onEvent: (e) => events.push(e) });
    expect(runtime.agents.list()).toHaveLength(5);
    const skipped = logs(events, 'warn').filter((m) => m.startsWith('skipped invalid agent file'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(`${join(MIXED, 'broken.md')}:4: field "tools": invalid YAML`);
    await runtime.close();
  });

  it('with strictAgents, fails on the invalid file', async () => {
    const error = await createRuntime({ model: model(), agentsDir: MIXED, builtinAgents: false, strictAgents: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentDefinitionError);
    expect(error).toMatchObject({ file: join(MIXED, 'broken.md'), line: 4, field: 'tools' });
  });

  it('lets a user agent override a built-in of its name, with a note naming both sources', async () => {
    const events: TaskforceEvent[] = [];
    const runtime = await createRuntime({ model: model(), agentsDir: join(DUPLICATES, 'a'), onEvent: (e) => events.push(e) });
    const coder = runtime.agents.require('coder');
    expect(coder.description).toBe('The first coder');
    const [note] = logs(events, 'info').filter((m) => m.includes('overrides the built-in agent'));
    expect(note?.startsWith(`agent "coder" from ${join(DUPLICATES, 'a', 'coder.md')} overrides the built-in agent "coder" (`)).toBe(true);
    expect(note).toMatch(/coder\.md\)$/);
    await runtime.close();
  });

  it('still refuses two user agents of one name, naming both files', async () => {
    const error = await createRuntime({ model: model(), agentsDir: [join(DUPLICATES, 'a'), join(DUPLICATES, 'b')] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AGENT_DUPLICATE_NAME' });
    expect((error as Error).message).toBe(`agent "coder" is defined twice: ${join(DUPLICATES, 'a', 'coder.md')}:2 and ${join(DUPLICATES, 'b', 'coder.md')}:3`);
  });
});
