/**
 * The canonical form of a capability name: lower case, words joined by single hyphens, so that
 * `Code_Review`, `code review` and `code-review` are one capability.
 */
export function normalizeCapability(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_\-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Normalises, drops empties and duplicates, keeps first-seen order. */
export function normalizeCapabilities(names: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    const normal = normalizeCapability(name);
    if (normal) seen.add(normal);
  }
  return [...seen];
}

/**
 * The capability vocabulary the built-in agents declare and the planner is asked to use. Agents
 * may declare other capabilities; these are the ones the shipped library is matched on.
 */
export const CAPABILITY_VOCABULARY: Readonly<Record<string, string>> = Object.freeze({
  planning: 'turn a goal into ordered, checkable steps',
  decomposition: 'split a large task into independent sub-tasks',
  estimation: 'size effort, cost or risk of work',
  research: 'find and gather information from sources',
  'fact-checking': 'verify claims against sources',
  analysis: 'examine evidence, compare options, reason to a conclusion',
  'data-analysis': 'work with numbers, tables and measurements',
  code: 'write or change source code',
  debugging: 'find and fix the cause of a failure',
  refactoring: 'restructure code without changing behaviour',
  architecture: 'design the structure of a system and its interfaces',
  review: 'assess finished work for defects and risks',
  security: 'spot vulnerabilities and unsafe practices',
  testing: 'design and write tests, check behaviour',
  verification: 'check that a result meets its requirements',
  writing: 'produce clear prose for a reader',
  documentation: 'write reference and how-to material',
  editing: 'improve an existing text: structure, clarity, correctness',
  critique: 'find the weaknesses in an argument, plan or draft',
  synthesis: 'merge several contributions into one coherent result',
  summarization: 'condense material to what matters',
  general: 'any task without a specialist',
});
