import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCli } from './run-cli.js';

// The CLI in-process, with stderr posing as a terminal, so the in-place live view can be read back
// through a small terminal emulator: what a user would see on the screen at the end.

/** Applies what a program wrote to a screen: text, \n, \r, cursor up (ESC[nA), clear to end (ESC[0J). */
function screenOf(written: string): string[] {
  const screen: string[] = [''];
  let row = 0;
  let col = 0;
  // Colours (SGR codes) take no room on the screen.
  const tokens = written.replace(/\x1b\[\?25[hl]|\x1b\[\d+m/g, '').split(/(\x1b\[\d*[AJ]|\r|\n)/);
  for (const token of tokens) {
    if (token === '') continue;
    const csi = /^\x1b\[(\d*)([AJ])$/.exec(token);
    if (csi?.[2] === 'A') row = Math.max(0, row - Number(csi[1] || 1));
    else if (csi?.[2] === 'J') {
      screen.length = row + 1;
      screen[row] = screen[row]!.slice(0, col);
    } else if (token === '\r') col = 0;
    else if (token === '\n') {
      row += 1;
      col = 0;
      if (screen.length <= row) screen.push('');
    } else {
      const line = screen[row]!.padEnd(col);
      screen[row] = line.slice(0, col) + token + line.slice(col + token.length);
      col += token.length;
    }
  }
  return screen.slice(0, screen.at(-1) === '' ? -1 : undefined);
}

/** stderr as a terminal; TERM says it can move the cursor. */
const TERMINAL = { env: { TERM: 'xterm-256color' }, stderr: { isTTY: true, columns: 160, rows: 60 } };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the live view on a terminal', () => {
  it('redraws the task tree in place: at the end the screen holds one tree with status, agent, decision and tokens', async () => {
    const { code, stdout, stderr } = await startCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], TERMINAL).done;
    expect(code).toBe(0);
    expect(stderr).toMatch(/\x1b\[\d+A\x1b\[0J/);
    const screen = screenOf(stderr);
    expect(screen.filter((line) => line.startsWith('▸ run'))).toEqual(['▸ run "Say something about owls" — 2 task(s) planned, 2 started ✓ done']);
    expect(screen).toContainEqual(expect.stringMatching(/^ {2}✓ facts\s+researcher\s+direct: best match researcher \(score \d+\.\d\d\)\s+[\d,]+ tok \$0$/));
    expect(screen).toContainEqual(expect.stringMatching(/^ {2}✓ summary\s+writer\s+direct: best match writer/));
    expect(screen).toContainEqual(expect.stringMatching(/^ {2}synthesis attempt 1 passed$/));
    expect(screen.at(-1)).toMatch(/^totals: 4 model call\(s\) · [\d,]+ tok · \$0 · /);
    // The cursor is shown again, and stdout got the answer.
    expect(stderr.endsWith('\x1b[?25h')).toBe(true);
    expect(stdout).toContain('=== Answer ===');
  });

  it('on Ctrl-C keeps the message on screen above the final tree, which shows the cancelled task', async () => {
    vi.stubEnv('TASKFORCE_TEST_HOLD', 'summary');
    const cli = startCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], TERMINAL);
    // Interrupt once the screen shows the held task running.
    await cli.waitFor((all) => screenOf(all).some((line) => /^ {2}… summary/.test(line)));
    cli.interrupt();
    const { code, stdout, stderr } = await cli.done;
    expect(code).toBe(130);
    const screen = screenOf(stderr);
    const message = screen.indexOf('Ctrl-C: cancelling the run; the partial result follows (Ctrl-C again quits at once).');
    expect(message).toBeGreaterThan(-1);
    const tree = screen.slice(message + 1);
    expect(tree[0]).toMatch(/^▸ run "Say something about owls"/);
    expect(tree).toContainEqual(expect.stringMatching(/^ {2}✓ facts/));
    expect(tree).toContainEqual(expect.stringMatching(/^ {2}⊘ summary/));
    expect(screen.filter((line) => line.startsWith('▸ run'))).toHaveLength(1);
    expect(stdout).toContain('=== Answer (PARTIAL — cancelled with Ctrl-C) ===');
  });
});
