/**
 * Text normalisation for the matcher: lower-case words, English stop words dropped, and a light
 * suffix stemmer so that `tests`, `tester`, `testing` and `tested` meet on `test`. The stemmer is
 * deliberately small: queries and documents go through the same function, so it only has to be
 * consistent, not linguistically right.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by can ' +
    'could did do does doing done down during each either etc few for from further get got had has have having he her here ' +
    'hers him his how i if in into is it its itself just let like may me might more most must my no nor not now of off on ' +
    'once one only or other our ours out over own same shall she should so some such than that the their theirs them then ' +
    'there these they this those through to too under until up upon us very via was we were what when where whether which ' +
    'while who whom whose why will with within without would yet you your yours'
  ).split(' '),
);

/** What separates words: anything but letters and digits (a split allocates no match object per word). */
const NON_WORD = /[^\p{L}\p{N}]+/u;
/** The same for lower-case ASCII text, where a plain class matches the same and runs faster. */
const ASCII_NON_WORD = /[^a-z0-9]+/;
const ASCII = /^[\x00-\x7f]*$/;
const SUFFIXES = ['ation', 'ate', 'ing', 'ed', 'er', 'ly'] as const;

/**
 * Words of `text`, normalised and stemmed, stop words removed, in order (duplicates kept).
 * `stems` memoises `stem` across calls (indexing thousands of prompts repeats most words).
 */
export function tokenize(text: string, stems?: Map<string, string>): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const word of lower.split(ASCII.test(lower) ? ASCII_NON_WORD : NON_WORD)) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    let stemmed = stems?.get(word);
    if (stemmed === undefined) {
      stemmed = stem(word);
      stems?.set(word, stemmed);
    }
    out.push(stemmed);
  }
  return out;
}

/** A light suffix stemmer (see the module comment). Exported for tests. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d+$/.test(w)) return w;
  // `analysis`, `analyse`, `analyze`, `analyst` are one idea.
  w = w.replace(/(?:ysis|yses|yse|yze|yst|ysts)$/, 'yz');
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      // planning → plann → plan; but keep `ll`, `ss`, `zz` (install, pass, buzz).
      if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}
