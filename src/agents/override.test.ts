import { describe, expect, it } from 'vitest';
import { defineAgent } from './define.js';
import { withBuiltins } from './override.js';

const agent = (name: string, source: string) => defineAgent({ name, description: `${name} agent`, systemPrompt: 'Work.', source });

describe('withBuiltins', () => {
  it('replaces a built-in by a user agent of its name and reports the override with both sources', () => {
    const builtins = [agent('coder', 'builtin/coder.md'), agent('researcher', 'builtin/researcher.md')];
    const { agents, overrides } = withBuiltins([agent('coder', 'mine/coder.md')], builtins);
    expect(agents.map((a) => a.source)).toEqual(['builtin/researcher.md', 'mine/coder.md']);
    expect(overrides).toEqual([
      {
        name: 'coder',
        source: 'mine/coder.md',
        builtinSource: 'builtin/coder.md',
        message: 'agent "coder" from mine/coder.md overrides the built-in agent "coder" (builtin/coder.md)',
      },
    ]);
  });

  it('leaves duplicates among the user agents for the registry to refuse', () => {
    const { agents, overrides } = withBuiltins([agent('x', 'a.md'), agent('x', 'b.md')], []);
    expect(agents).toHaveLength(2);
    expect(overrides).toEqual([]);
  });
});
