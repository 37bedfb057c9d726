/**
 * The rate limiter's input-token estimate of a ~100K-token prompt (~400 KB of prose-like text):
 * the first call (which may load the encoder), then `rounds` timed calls. `estimateInputTokens` is
 * internal, so it is imported from its dist path.
 *
 *   node bench/cold/token-estimate.mjs [rounds = 20]
 */
import { estimateInputTokens } from '../../dist/src/model/tokens.js';
import { seededRandom } from '../../dist/src/index.js';
import { emit, numberArg, timed } from './emit.mjs';

const rounds = numberArg(0, 20);
const WORDS = ['the', 'model', 'returns', 'a', 'plan', 'with', 'tasks', 'and', 'their', 'dependencies', 'for', 'each', 'agent', 'run', 'budget', 'limits', 'of', 'tokens'];
const random = seededRandom(13);
const parts = [];
for (let length = 0; length < 400_000; ) {
  const word = `${WORDS[Math.floor(random.next() * WORDS.length)]}${random.next() < 0.1 ? '.' : ''}`;
  parts.push(word);
  length += word.length + 1;
}
const request = { messages: [{ role: 'user', content: parts.join(' ') }] };

const first = await timed(() => estimateInputTokens(request));
const samples = [];
for (let i = 0; i < rounds; i++) samples.push((await timed(() => estimateInputTokens(request))).ms);
emit({ chars: request.messages[0].content.length, tokens: first.value, firstMs: first.ms, ms: samples });
