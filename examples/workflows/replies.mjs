// Scripted replies for the example workflows in this folder (`taskforce run --scripted
// examples/workflows/replies.mjs examples/workflows/<file>.yaml`).
//
// These replies were WRITTEN BY HAND. They are not the output of a real model. The function plays
// every role the examples need — the agents doing each task (recognised by `Your task: <title>`), the
// agent deciding a branch, the planner of a sub-goal, the synthesizer — by recognising the prompt, so
// each workflow runs through the real engine deterministically. Latencies are small and real (ms),
// chosen so that the races in first-answer.yaml and cancel-region.yaml always end the same way.

/** Replies by task title: a string, or a function of the prompt. `ms` is the simulated latency. */
const TASKS = {
  // review-loop.yaml: the first draft is rejected, the revision approved.
  'Outline the announcement': 'Outline: 1. what offline mode is; 2. how to turn it on; 3. when it ships.',
  'Draft the announcement': (text) =>
    text.includes('REJECTED')
      ? 'Announcement v2: Offline mode ships on 3 March. Turn it on in Settings > Sync; your notes stay editable without a connection.'
      : 'Announcement v1: Offline mode is coming. Turn it on in Settings > Sync.',
  'Review the draft': (text) => (text.includes('Announcement v2') ? 'APPROVED' : 'REJECTED: say when it ships and what still works offline.'),
  'Publish on the blog': 'Blog post "Work anywhere: offline mode ships 3 March" published.',
  'Send the newsletter': 'Newsletter item queued for the March issue.',
  'Escalate to the editor': 'Three rounds did not converge; the editor should decide.',

  // parallel-research.yaml: the findings name legal and pricing follow-ups, not security.
  'Scope the research': 'Questions: market size, competition, regulation.',
  'Size the market': { text: 'About 9 million Germans use a note-taking app; 1.2 million pay for one.', ms: 60 },
  'Map the competitors': { text: 'Three incumbents, charging EUR 4-8 a month.', ms: 30 },
  'Check the rules': { text: 'GDPR applies; data must be stored in the EU.', ms: 45 },
  'Combine the findings': 'Findings: a paying market of 1.2 million; incumbents charge EUR 4-8. Follow-ups: legal (GDPR storage in the EU) and pricing (undercut at EUR 3.99).',
  'Check the legal questions': 'Legal: store notes in Frankfurt; publish a GDPR processing record.',
  'Check the security questions': 'Security: not needed for this launch.',
  'Check the pricing': 'Pricing: EUR 3.99 a month, EUR 39 a year.',
  'Write the brief': 'Brief: launch in Germany at EUR 3.99 with EU storage.',

  // per-item.yaml: the list is JSON matching the step's schema; each source gets its own summary.
  'List the sources': 'The sources:\n```json\n{ "sources": ["forum", "app-store-reviews", "support-tickets"] }\n```',
  'Read one source': (text) => {
    const source = /The item to work on: "([^"]+)"/.exec(text)?.[1] ?? 'unknown';
    return { text: `${source}: users like sync but want it faster on mobile.`, ms: 40 };
  },
  'Write the digest': 'Digest: every source praises sync and asks for faster mobile sync.',

  // first-answer.yaml: the docs answer first; the expert's slower answer is cancelled.
  "Restate the question": 'How can I export all my notes as Markdown?',
  'Search the docs': { text: 'Docs: File > Export > Markdown exports every note as a .md file.', ms: 20 },
  'Ask an expert': { text: 'Expert: use the API to export notes.', ms: 3000 },
  'Send a follow-up': 'Did the export answer help? Reply if anything is missing.',
  'Close the ticket': 'Ticket closed.',

  // cancel-region.yaml: the health check fails while the canary rollout is in flight.
  'Roll out to the canary group': { text: 'Canary rollout done.', ms: 3000 },
  'Roll out to everyone': 'Rolled out to everyone.',
  'Check the health': { text: 'FAILING: error rate 12% (threshold 2%).', ms: 20 },
  'Report on the rollout': 'Release 2.4 was stopped during the canary rollout: the error rate reached 12%.',

  // sub-workflow.yaml and sub-workflow-part.yaml.
  'Count shortcut searches': 'Search logs: copy, paste, undo, find, new note, bold, link, search, switch notebook, quick capture.',
  'Check the help-desk questions': 'Help desk: most questions ask about quick capture and switching notebooks.',
  'Write the guide': 'Guide: the ten shortcuts, from Ctrl+N (new note) to Ctrl+Shift+Space (quick capture).',
  'Check the document': 'Two shortcuts are listed with the macOS keys only.',
  'Fix the document': 'Added the Windows keys for the two shortcuts.',
  'Publish the guide': 'Published: "Ten keyboard shortcuts that save you time".',
};

/** The plan for the sub-goal of sub-workflow.yaml. */
const SUB_PLAN = {
  tasks: [
    { id: 'searches', title: 'Count shortcut searches', instructions: 'Count which shortcuts users search the help for.', capabilities: [], dependsOn: [], priority: 'medium', effort: 1, decomposable: false },
    { id: 'helpdesk', title: 'Check the help-desk questions', instructions: 'List the shortcut questions the help desk gets.', capabilities: [], dependsOn: [], priority: 'medium', effort: 1, decomposable: false },
  ],
};

function textOf(request) {
  return [request.system ?? '', ...request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))].join('\n\n');
}

export function replies(request) {
  const text = textOf(request);
  // review-loop.yaml: the agent deciding where the approved announcement goes.
  if (request.responseFormat?.name === 'branch') return JSON.stringify({ branch: 'blog', reason: 'The blog reaches the most existing users.' });
  if (text.includes('You are the planner of a team of AI agents')) return JSON.stringify(SUB_PLAN);
  if (text.includes('You are the synthesizer of a team of AI agents')) {
    const ids = [...text.matchAll(/<result id="([^"]+)"/g)].map((m) => m[1]);
    return ids.map((id) => `The result of ${id} is used here [${id}].`).join('\n\n');
  }
  if (text.includes('You are the critic of a team')) return 'NO CHANGES';
  const title = /Your task: (.+)/.exec(text)?.[1]?.trim();
  const reply = title !== undefined ? TASKS[title] : undefined;
  if (reply === undefined) return 'These scripted replies have no answer written for this prompt.';
  const value = typeof reply === 'function' ? reply(text) : reply;
  return typeof value === 'string' ? value : { text: value.text, latencyMs: value.ms };
}

export const description = 'hand-written replies for the example workflows in examples/workflows';
export const modelId = 'scripted-workflows';
