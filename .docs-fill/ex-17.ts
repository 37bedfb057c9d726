import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSuite, runSuite, reportMarkdown } from "/work/main/src/index.ts";

const report = await runSuite(await loadSuite('evals/launch-plan.yaml'), { strategy: 'all', concurrency: 4 });
console.log(report.ok, `${report.passed}/${report.cases} passed`);
for (const s of report.strategies) console.log(s.strategy.padEnd(12), `${s.passed}/${s.cases}`, `${s.modelCalls} model calls`);
await writeFile(join(tmpdir(), 'report.md'), reportMarkdown(report)); // the --markdown report

export {};
