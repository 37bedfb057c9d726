import { z } from "zod";
import { createModel } from "/work/main/src/index.ts";

const model = createModel({
  provider: 'scripted',
  replies: ['2, 3 and 5.', '{"name": "Ada Lovelace", "age": "36"}', '{"name": "Ada Lovelace", "age": 36}'],
});
const result = await model.generate({ system: 'Be brief.', prompt: 'Name three primes.' });
console.log(result.text, result.stopReason, result.usage.outputTokens);

// The second reply breaks the schema (age is a string), so generateObject asks again: one repair.
const Person = z.object({ name: z.string(), age: z.number().int() });
const { object, repairs } = await model.generateObject({ prompt: 'Extract the person: Ada Lovelace, 36.', schema: Person });
console.log(object, repairs);

export {};
