import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import type { CliIo, CliStream } from '../../src/cli/io.js';
import { systemClock } from '../../src/util/clock.js';
import { cleanEnv } from './cli-process.js';

// The CLI in-process, with stderr posing as a terminal, so the in-place live view can be read back
// through a small terminal emulator: what a user would see on the screen at the end.

/** Applies what a program wrote to a screen: text, \n, \r, cursor up (ESC[nA), clear to end (ESC[0J). */
function screenOf(written: string): string[] {
  const screen: string[] = [''];
  let row = 0;
  let col = 0;
  const tokens = written.replace(/\x1b\[\?25[hl]/g, '').split(/(\x1b\[\d*[AJ]|\r|\n)/);
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

function terminal(onWrite: (all: string) => void = () => undefined): CliStream & { text(): string } {
  let all = '';
  return {
    isTTY: true,
    columns: 160,
    rows: 60,
    write: (text: string) => {
      all += text;
      onWrite(all);
      return true;
    },
    text: () => all,
  };
}

function ioWith(stderr: CliStream, interrupt = new AbortController()): CliIo & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (t: string) => ((out += t), true) },
    stderr,
    env: cleanEnv({ TERM: 'xterm-256color' }),
    cwd: process.cwd(),
    interrupt: interrupt.signal,
    clock: systemClock(),
    out: () => out,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the live view on a terminal', { timeout: 120_000 }, () => {
  it('redraws the task tree in place: at the end the screen holds one tree with status, agent, decision and tokens', async () => {
    const stderr = terminal();
    const io = ioWith(stderr);
    const code = await runCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], io);
    expect(code).toBe(0);
    expect(stderr.text()).toMatch(/\x1b\[\d+A\x1b\[0J/);
    const screen = screenOf(stderr.text());
    expect(screen.filter((line) => line.startsWith('▸ run'))).toEqual(['▸ run "Say something about owls" — 2 task(s) planned, 2 started ✓ done']);
    expect(screen).toContainEqual(expect.stringMatching(/^ {2}✓ facts\s+researcher\s+direct: best match researcher \(score \d+\.\d\d\)\s+[\d,]+ tok \$0$/));
    expect(screen).toContainEqual(expect.stringMatching(/^ {2}✓ summary\s+writer\s+direct: best match writer/));
    expect(screen).toContainEqual(expect.stringMatching(/^ {2}synthesis attempt 1 passed$/));
    expect(screen.at(-1)).toMatch(/^totals: 4 model call\(s\) · [\d,]+ tok · \$0 · /);
    // The cursor is shown again, and stdout got the answer.
    expect(stderr.text().endsWith('\x1b[?25h')).toBe(true);
    expect(io.out()).toContain('=== Answer ===');
  });

  it('on Ctrl-C keeps the message on screen above the final tree, which shows the cancelled task', async () => {
    vi.stubEnv('TASKFORCE_TEST_HOLD', 'summary');
    const interrupt = new AbortController();
    // Interrupt once the screen shows the held task running.
    const stderr = terminal((all) => {
      if (!interrupt.signal.aborted && screenOf(all).some((line) => /^ {2}… summary/.test(line))) queueMicrotask(() => interrupt.abort());
    });
    const io = ioWith(stderr, interrupt);
    const code = await runCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], io);
    expect(code).toBe(130);
    const screen = screenOf(stderr.text());
    const message = screen.indexOf('Ctrl-C: cancelling the run; the partial result follows (Ctrl-C again quits at once).');
    expect(message).toBeGreaterThan(-1);
    const tree = screen.slice(message + 1);
    expect(tree[0]).toMatch(/^▸ run "Say something about owls"/);
    expect(tree).toContainEqual(expect.stringMatching(/^ {2}✓ facts/));
    expect(tree).toContainEqual(expect.stringMatching(/^ {2}⊘ summary/));
    expect(screen.filter((line) => line.startsWith('▸ run'))).toHaveLength(1);
    expect(io.out()).toContain('=== Answer (PARTIAL — cancelled with Ctrl-C) ===');
  });
});
