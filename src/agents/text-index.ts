import { tokenize } from './text.js';

/** One term's postings: the documents that contain it and each one's precomputed BM25 weight. */
export interface Postings {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

/** An inverted index whose postings carry final BM25 weights, so a query only sums them. */
export interface TextIndex {
  postings(term: string): Postings | undefined;
}

/** A document in two fields; the header (what it is for) counts `HEADER_WEIGHT` times the body. */
export interface IndexedText {
  readonly header: string;
  readonly body: string;
}

/** BM25 parameters: the usual k1 and b. */
const K1 = 1.2;
const B = 0.75;
/** Weight of a header term relative to a body term (BM25F with two fields, folded into tf). */
const HEADER_WEIGHT = 8;

/**
 * Builds a BM25 index. Weight of term t in document d:
 * idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len(d)/avglen)), with idf = ln(1 + (N − df + 0.5)/(df + 0.5))
 * (never negative), tf and len counting header terms `HEADER_WEIGHT` times.
 */
export function buildTextIndex(documents: readonly IndexedText[]): TextIndex {
  const n = documents.length;
  const termFrequencies: Map<string, number>[] = [];
  const lengths = new Float64Array(n);
  const stems = new Map<string, string>();
  documents.forEach((doc, id) => {
    const tf = new Map<string, number>();
    for (const term of tokenize(doc.header, stems)) tf.set(term, (tf.get(term) ?? 0) + HEADER_WEIGHT);
    for (const term of tokenize(doc.body, stems)) tf.set(term, (tf.get(term) ?? 0) + 1);
    let length = 0;
    for (const count of tf.values()) length += count;
    lengths[id] = length;
    termFrequencies.push(tf);
  });
  let total = 0;
  for (const length of lengths) total += length;
  const avgLength = n > 0 && total > 0 ? total / n : 1;

  const raw = new Map<string, { ids: number[]; tfs: number[] }>();
  termFrequencies.forEach((tf, id) => {
    for (const [term, count] of tf) {
      const entry = raw.get(term);
      if (entry) {
        entry.ids.push(id);
        entry.tfs.push(count);
      } else raw.set(term, { ids: [id], tfs: [count] });
    }
  });

  const index = new Map<string, Postings>();
  for (const [term, { ids, tfs }] of raw) {
    const df = ids.length;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const weights = new Float64Array(df);
    for (let i = 0; i < df; i++) {
      const tf = tfs[i]!;
      const norm = K1 * (1 - B + (B * lengths[ids[i]!]!) / avgLength);
      weights[i] = (idf * tf * (K1 + 1)) / (tf + norm);
    }
    index.set(term, { ids: Int32Array.from(ids), weights });
  }
  return { postings: (term) => index.get(term) };
}
