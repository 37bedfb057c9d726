import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoClock } from '../support/auto-clock.js';
import { ROOT } from '../cli/cli-process.js';
import { runCli } from '../cli/run-cli.js';

// The run viewer as a user meets it: the demo run writes a trace, `taskforce view` turns it into one
// HTML file, and a real headless Chromium (Debian's, installed by .ci/run) opens it with every
// non-file request blocked. The screenshot stays in test/artifacts/ for people and CI to look at.

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test', 'artifacts', 'run-viewer.png');

describe('the HTML run viewer of the demo run, in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  let page: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium), as .ci/run does`);
    dir = await mkdtemp(join(tmpdir(), 'taskforce-viewer-'));
    const trace = join(dir, 'demo.jsonl');
    const demo = await runCli(['demo', '--json', '--trace', trace], { clock: autoClock() });
    expect(demo.code, demo.stderr).toBe(0);
    await writeFile(join(dir, 'demo.json'), demo.stdout);
    const view = await runCli(['view', trace, '--result', join(dir, 'demo.json')]);
    expect(view.code, view.stderr).toBe(0);
    page = view.stdout.trim();
    expect(page).toBe(join(dir, 'demo.html'));
    // The answer is in the trace itself (answer.delta events); --result adds the task outputs.
    const bare = await runCli(['view', trace, '--out', join(dir, 'bare.html')]);
    expect(bare.code, bare.stderr).toBe(0);
    expect(await readFile(join(dir, 'bare.html'), 'utf8')).toContain('PAT-tested [<a class="cite" href="#task-run_1/inventory"');
    // A new, empty profile: nothing cached or configured from an earlier run.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the tree, the timeline, the linked answer and a task on click, with no network', async () => {
    const tab = await context.newPage();
    const attempted: string[] = [];
    await tab.route('**', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      attempted.push(url);
      return route.abort();
    });
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await tab.goto(pathToFileURL(page).href);

    // The run tree: the top run's four tasks and the sub-run's two, under funding.
    for (const key of ['run_1/inventory', 'run_1/membership', 'run_1/funding', 'run_1/timeline', 'run_2/costs', 'run_2/income'])
      await expect.poll(() => tab.locator(`#tree .task[data-key="${key}"]`).count()).toBe(1);
    expect(await tab.locator('#tree .task[data-key="run_1/funding"] + ul.runs .task[data-key="run_2/costs"]').count()).toBe(1);
    const inventory = tab.locator('#tree .task[data-key="run_1/inventory"]');
    expect(await inventory.innerText()).toMatch(/researcher/);
    expect(await inventory.innerText()).toMatch(/auction/);
    expect(await inventory.innerText()).toMatch(/6 calls · 6,002 in \/ 409 out/);
    // Subtree sums: funding's own calls plus its sub-run's.
    expect(await tab.locator('#tree .task[data-key="run_1/funding"]').innerText()).toMatch(/subtree \d+ calls/);

    // The timeline: a bar per task, model calls in several lanes (they ran concurrently).
    expect(await tab.locator('#timeline .task-bar').count()).toBe(6);
    expect(await tab.locator('#timeline .call-bar, #timeline .run-call').count()).toBeGreaterThan(20);
    expect(await tab.locator('#timeline .g-label', { hasText: /^lane \d+$/ }).count()).toBeGreaterThan(1);
    const barWidth = await tab.locator('#timeline .task-bar[data-key="run_1/inventory"]').boundingBox();
    expect(barWidth?.width ?? 0).toBeGreaterThan(20);

    // Clicking a task selects it in the tree and the timeline and shows its details.
    await inventory.click();
    expect(await inventory.getAttribute('class')).toContain('selected');
    expect(await tab.locator('#timeline .task-bar[data-key="run_1/inventory"]').getAttribute('class')).toContain('selected');
    expect(await tab.locator('#timeline .call-bar.selected').count()).toBe(6);
    const details = tab.locator('#details article[data-details="run_1/inventory"]');
    await expect.poll(() => details.isVisible()).toBe(true);
    expect(await details.innerText()).toMatch(/researcher/);
    expect(await details.innerText()).toMatch(/Start with 60 items/);
    expect(await tab.locator('#details article:visible').count()).toBe(1);

    // Clicking a bar in the timeline selects that task; a citation in the answer too.
    await tab.locator('#timeline .task-bar[data-key="run_2/costs"]').click();
    expect(await tab.locator('#tree .task[data-key="run_2/costs"]').getAttribute('class')).toContain('selected');
    expect(await inventory.getAttribute('class')).not.toContain('selected');
    expect(await tab.locator('#answer a.cite').count()).toBeGreaterThanOrEqual(4);
    await tab.locator('#answer a.cite[data-key="run_1/membership"]').first().click();
    await expect.poll(() => tab.locator('#details article[data-details="run_1/membership"]').isVisible()).toBe(true);

    await inventory.click();
    await tab.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(attempted).toEqual([]);
    expect(pageErrors).toEqual([]);

    const png = await readFile(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await stat(SCREENSHOT)).size).toBeGreaterThan(30_000);
  }, 60_000);
});
