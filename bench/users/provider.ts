/**
 * Figure 7: per-call overhead of the runtime's model above the provider SDK, against the loopback
 * server, in one cold process: the SDK alone and `createModel(...)`.generate, alternating call by
 * call; per batch the median call of each; the overhead is the median of the per-batch differences.
 * Measured young (from the 51st call per path; the target's figure) and steady (after 4,000).
 */
import { figure, figureOf, type Figure } from './figure.js';
import type { Loopback } from './loopback.js';
import { runChildAsync } from './spawn.js';
import { pairedDifferences } from './stats.js';

export async function measureProviderOverhead(batches: number, perBatch: number, loopback: Loopback): Promise<Figure[]> {
  console.log(`  provider overhead: ${batches} batches × ${perBatch} calls per path, alternating call by call`);
  const result = await runChildAsync('provider-overhead.mjs', [loopback.baseURL, String(batches), String(perBatch)]);
  const list = (key: string) => (result.ok ? (result.value[key] as number[]) : []);
  return [
    figureOf('openai SDK chat call, loopback', 'µs', [result], (v) => v.sdkUs as number[]),
    figureOf("createModel('openai:…').generate, loopback", 'µs', [result], (v) => v.taskforceUs as number[]),
    // Empty when the child failed: then this row is "not measured" and the rows above say why.
    figure('per-call overhead above the SDK', 'µs', pairedDifferences(list('taskforceUs'), list('sdkUs')), {
      target: { op: '<=', value: 30 },
      note: "createModel − SDK: per batch, the difference of the median calls, from each path's 51st call in a new process",
    }),
    figure('per-call overhead above the SDK, steady (after 4,000 calls)', 'µs', pairedDifferences(list('steadyTaskforceUs'), list('steadySdkUs')), {
      note: 'the same in the same process once each path has made 4,000 calls: what stays once our layers are compiled',
    }),
  ];
}
