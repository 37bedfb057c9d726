// Scripted replies for the offline demo (`npm run demo`).
//
// These replies were WRITTEN BY HAND for the goal in goal.txt. They are not the output of a real
// model and the demo says so when it runs. The function below plays every role a run needs — the
// planner, bidding agents, the agents doing each task, the synthesizer, the critic and the reviser
// (and, for eval suites, voters, leaders and judges) — by recognising which prompt it was sent, so
// the run goes through the real engine: planning, auction decisions, a decomposable task becoming
// a sub-run, synthesis with citations, and refinement rounds until the answer converges.

const TASKS = {
  inventory: {
    title: 'Choose the starting inventory',
    best: 'researcher',
    answer: `Start with 60 items chosen for how often neighbours need them and how rarely they own them:
- **Drilling and fixing (15):** two cordless drill sets, an SDS hammer drill, stud finder, spirit levels, clamp sets.
- **Garden (20):** hedge trimmer, lawn aerator, edging tools, wheelbarrows, a pressure washer, loppers and pruning saws.
- **Decorating (10):** wallpaper steamer, paint sprayer, step ladders, dust sheets, a tile cutter.
- **Occasional big jobs (15):** carpet cleaner, extension ladder, sack truck, gazebo, a sewing machine.
Ask for donations first (a neighbourhood survey found most households hold tools they use less than once a year), buy only the safety-critical items new (ladders, anything with a blade guard), and PAT-test every electrical item before it goes on the shelf.`,
  },
  membership: {
    title: 'Design membership and lending rules',
    best: 'analyst',
    answer: `**Joining.** Membership is £25 a year, or £5 for people on a low income, "pay what you can" above that. Joining needs proof of address and a signed borrower agreement; it takes five minutes at the counter or online.
**Borrowing.** Members borrow up to three items at once for seven days, renewable once if nobody is waiting. Items are booked online and collected during two weekly opening sessions (Saturday 10:00–13:00, Wednesday 17:00–19:30).
**Care and safety.** Power tools with a blade need a 10-minute induction the first time. Late returns pause borrowing rather than costing money; damage from normal use is never charged, careless damage is repaired at cost.`,
  },
  funding: {
    title: 'Plan first-year funding',
    best: 'analyst',
    decomposable: true,
  },
  costs: {
    title: 'Estimate first-year costs',
    best: 'analyst',
    answer: `First-year costs come to about **£7,300**:
- rent of a shared unit at the community centre, £3,600 (£300 a month);
- insurance (public liability and contents), £900;
- new safety-critical tools and consumables (blades, bits, sanding sheets), £1,500;
- booking software, £600 (£50 a month);
- PAT testing, signage and launch printing, £700.
Volunteers run the counter, so there are no staff costs in year one.`,
  },
  income: {
    title: 'Find income sources',
    best: 'researcher',
    answer: `Three sources can cover the first year:
- **Memberships:** 180 members by month twelve at an average of £20 brings about £3,600.
- **A community grant:** the council's neighbourhood fund and the National Lottery's small grants both fund tool libraries; £3,000 is a realistic first award.
- **Workshops:** monthly repair and skills workshops at £10 a seat, 15 seats, bring about £1,500 a year.
Together that is about £8,100 against the costs, leaving a small reserve for replacing worn tools.`,
  },
  timeline: {
    title: 'Draft the launch timeline',
    best: 'writer',
    answer: `**Weeks 1–4:** form a steering group of six volunteers, agree the unit at the community centre, open the donation drive.
**Weeks 5–8:** catalogue and PAT-test donated tools, set up the booking system, write the borrower agreement and induction notes.
**Weeks 9–10:** soft launch for 30 founding members to test booking and returns.
**Week 12:** public launch day with tool demonstrations and a repair café; start the monthly workshops the month after.`,
  },
};

const TOP_PLAN = {
  tasks: [
    { id: 'inventory', title: TASKS.inventory.title, instructions: 'Decide which 50–70 tools a neighbourhood tool library should lend at launch, grouped by kind of job, and how to source them (donations versus buying new). Give counts per group and any safety rules for accepting items.', capabilities: ['research'], dependsOn: [], priority: 'high', effort: 2, decomposable: false },
    { id: 'membership', title: TASKS.membership.title, instructions: 'Design how people join (price, concessions, what they sign) and the lending rules: how many items, for how long, how booking and collection work, and what happens with late or damaged items. Keep rules simple enough to fit on one page.', capabilities: ['analysis'], dependsOn: [], priority: 'high', effort: 2, decomposable: false },
    { id: 'funding', title: TASKS.funding.title, instructions: 'Work out what the library costs to run in its first year and how it will pay for it: itemised costs, income sources with realistic amounts, and whether income covers costs. This needs a cost estimate and a review of income sources.', capabilities: ['analysis', 'estimation'], dependsOn: [], priority: 'critical', effort: 5, decomposable: true },
    { id: 'timeline', title: TASKS.timeline.title, instructions: 'Write a twelve-week launch timeline from forming a volunteer group to the public launch day, using the inventory and membership decisions given as inputs.', capabilities: ['writing'], dependsOn: ['inventory', 'membership'], priority: 'medium', effort: 1, decomposable: false },
  ],
};

const FUNDING_PLAN = {
  tasks: [
    { id: 'costs', title: TASKS.costs.title, instructions: 'Itemise the first-year running costs of a volunteer-run neighbourhood tool library in a shared community-centre unit: rent, insurance, tools and consumables, software, testing and launch costs. Give a total.', capabilities: ['estimation'], dependsOn: [], priority: 'high', effort: 2, decomposable: false },
    { id: 'income', title: TASKS.income.title, instructions: 'List realistic first-year income sources for a neighbourhood tool library (memberships, grants, workshops), with an amount for each and a total.', capabilities: ['research'], dependsOn: [], priority: 'high', effort: 2, decomposable: false },
  ],
};

const FUNDING_SYNTHESIS = `The library costs about **£7,300** in its first year: rent £3,600, insurance £900, new tools and consumables £1,500, booking software £600, and testing, signage and launch printing £700, with volunteers on the counter [costs].
Income of about **£8,100** covers it: memberships (about £3,600 from 180 members), a first community grant (about £3,000) and monthly workshops (about £1,500) [income].
That leaves a reserve of roughly £800 for replacing worn tools [costs, income].`;

const DRAFT = `# Launch plan: the Elm Street Tool Library

## What it lends first
About 60 tools for jobs neighbours do rarely: drilling and fixing (15), garden (20), decorating (10) and occasional big jobs such as a carpet cleaner or extension ladder (15). Most come from a donation drive; only safety-critical items are bought new, and every electrical item is PAT-tested [inventory].

## How members join and borrow
Membership is £25 a year, £5 on a low income, with proof of address and a signed borrower agreement. Members borrow up to three items for seven days, booked online and collected on Saturday mornings or Wednesday evenings. Bladed power tools need a short induction; late returns pause borrowing instead of costing money [membership].

## How the first year is paid for
Running costs are about £7,300, mostly rent and insurance. Memberships, a community grant and monthly workshops bring in about £8,100 [funding].

## Launch timeline
Volunteers form a steering group and open the donation drive in weeks 1–4, catalogue and test tools in weeks 5–8, run a soft launch for 30 founding members in weeks 9–10, and hold a public launch day in week 12 [timeline].`;

const CRITIQUE = `1. The funding section gives totals but not the risk: say what happens if the grant does not arrive, since memberships and workshops alone (about £5,100) do not cover £7,300.
2. The plan never says who is responsible for what after launch; name the volunteer roles.`;

const REVISED = `# Launch plan: the Elm Street Tool Library

## What it lends first
About 60 tools for jobs neighbours do rarely: drilling and fixing (15), garden (20), decorating (10) and occasional big jobs such as a carpet cleaner or extension ladder (15). Most come from a donation drive; only safety-critical items are bought new, and every electrical item is PAT-tested [inventory].

## How members join and borrow
Membership is £25 a year, £5 on a low income, with proof of address and a signed borrower agreement. Members borrow up to three items for seven days, booked online and collected on Saturday mornings or Wednesday evenings. Bladed power tools need a short induction; late returns pause borrowing instead of costing money [membership].

## How the first year is paid for
Running costs are about £7,300, mostly rent and insurance. Memberships, a community grant and monthly workshops bring in about £8,100, leaving a reserve of about £800 [funding].
If the grant does not arrive, memberships and workshops (about £5,100) leave a gap of about £2,200: the library then delays buying new tools and asks founding members for a one-off £10 supporter top-up until the next grant round [funding].

## Launch timeline and roles
Volunteers form a steering group and open the donation drive in weeks 1–4, catalogue and test tools in weeks 5–8, run a soft launch for 30 founding members in weeks 9–10, and hold a public launch day in week 12. The six-person steering group splits into a coordinator, a treasurer, a safety lead for testing and inductions, and three counter leads who run the opening sessions [timeline].`;

/** The whole text a request carries, system prompt included. */
function textOf(request) {
  return [request.system ?? '', ...request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))].join('\n\n');
}

function taskFor(text) {
  const title = /Your task: (.+)/.exec(text)?.[1]?.trim() ?? /Task: (.+)/.exec(text)?.[1]?.trim();
  return Object.entries(TASKS).find(([, t]) => t.title === title) ?? Object.entries(TASKS).find(([, t]) => text.includes(t.title));
}

const json = (value) => JSON.stringify(value);

/** The demo's replies: one per prompt kind, recognised by the prompt's own wording. */
export function replies(request) {
  const text = textOf(request);
  if (text.includes('You are the planner of a team of AI agents'))
    return json(text.includes('This is one part of a larger goal') ? FUNDING_PLAN : TOP_PLAN);
  if (text.includes('sealed-bid auction')) {
    const agent = /You are agent "([^"]+)"/.exec(text)?.[1];
    const effort = Number(/estimated this task at ([\d.]+)/.exec(text)?.[1] ?? 1);
    const best = taskFor(text)?.[1].best === agent;
    return json(
      best
        ? { cost: effort, confidence: 0.9, rationale: `This is squarely ${agent} work.` }
        : { cost: Math.round(effort * 18) / 10, confidence: 0.55, rationale: 'I can do it, but it is outside my strengths.' },
    );
  }
  if (text.includes('You are the synthesizer of a team of AI agents'))
    return text.includes('<result id="costs"') ? FUNDING_SYNTHESIS : DRAFT;
  if (text.includes('You are the critic of a team')) return text.includes('supporter top-up') ? 'NO CHANGES' : CRITIQUE;
  if (text.includes('You are revising a team')) return REVISED;
  if (text.includes('You are a strict reviewer')) return json({ pass: true, reasons: [] });
  if (text.includes("You are checking the quality of an agent's work")) return json({ score: 0.9, reason: 'Does what the task asks, concretely.' });
  if (text.includes('You are grouping answers')) {
    const count = Number(/There are (\d+) answers/.exec(text)?.[1] ?? 1);
    return json({ groups: [{ answers: Array.from({ length: count }, (_, i) => i + 1), summary: 'The same plan, worded alike.' }] });
  }
  if (text.includes('did not agree')) return json({ option: /You currently support option (\S+?)\./.exec(text)?.[1] ?? 'A', reason: 'It still answers the task best.' });
  if (text.includes('Split it into at most')) {
    const found = taskFor(text);
    const [id, task] = found ?? ['work', { title: 'The task', best: 'generalist' }];
    return json({ subtasks: [{ id, title: task.title, instructions: `Your task: ${task.title}`, capabilities: [], effort: 1, delegate: false }] });
  }
  if (text.includes('Integrate their reports')) return taskFor(text)?.[1].answer ?? FUNDING_SYNTHESIS;
  const task = taskFor(text);
  if (task?.[1].answer) return task[1].answer;
  if (task?.[0] === 'funding') return FUNDING_SYNTHESIS;
  // A prompt this script was not written for: say so plainly instead of pretending.
  return 'This scripted demo has no reply written for this prompt.';
}

export const description = 'hand-written replies for the tool-library launch plan in examples/demo/goal.txt';
export const modelId = 'scripted-demo';

// A little simulated latency per call, so the live view has something to show as tasks run in parallel.
export const latencyMs = 120;
