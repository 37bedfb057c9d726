import { modelFromProvider, scriptedModel, synthesize } from "/work/main/src/index.ts";
import { z } from "zod";

// Any Model works; a scripted one keeps this example offline.
const model = modelFromProvider(scriptedModel({
  replies: [
    'The market is worth $4B [size].\n\nAcme leads with 40% [rivals].',
    JSON.stringify({ pass: true, reasons: [] }),
  ],
}));

const results = [
  { taskId: 'size', title: 'Market size', output: 'About $4B, growing 12% a year.', agents: ['researcher'] },
  { taskId: 'rivals', title: 'Competitors', output: 'Acme 40%, Globex 25%.', agents: ['analyst'] },
];

const brief = await synthesize({
  goal: 'Brief the board on the widget market',
  results,
  model,
  rubric: 'States the market size in dollars and names the leader.',
});
console.log(brief.passed, brief.citations);

// Structured output: `output` is the parsed, validated value.
const Brief = z.object({ headline: z.string(), marketUsd: z.number() });
const structured = await synthesize({
  goal: 'Brief the board on the widget market',
  results,
  outputSchema: Brief,
  model: modelFromProvider(scriptedModel({
    replies: [JSON.stringify({
      answer: { headline: 'A $4B market led by Acme', marketUsd: 4e9 },
      citations: [{ part: 'headline', taskIds: ['size', 'rivals'] }],
    })],
  })),
});
console.log(structured.output.marketUsd);

export {};
