/** Figure 8: the rate limiter's token estimate of a ~100K-token (~400 KB) prompt, in a cold process. */
import { figureOf, type Figure } from './figure.js';
import { runChild } from './spawn.js';

export function measureTokenEstimate(rounds: number): Figure[] {
  console.log(`  token estimate: ${rounds} estimates of a 400 KB prompt`);
  const result = runChild('token-estimate.mjs', [String(rounds)]);
  const note = result.ok
    ? `${Number(result.value.tokens).toLocaleString('en')} tokens estimated from ${Number(result.value.chars).toLocaleString('en')} chars; first call ${Number(result.value.firstMs).toFixed(1)} ms; internal estimateInputTokens from dist/src/model/tokens.js`
    : undefined;
  return [figureOf('token estimate, ~100K-token prompt', 'ms', [result], (v) => v.ms as number[], { target: { op: '<=', value: 1 }, ...(note ? { note } : {}) })];
}
