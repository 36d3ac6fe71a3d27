import type { MistakePattern } from '../pattern.js';

/** Options of `retrieve`. */
export interface RetrieveOptions {
  /** How many patterns to return. Default 5. */
  readonly k?: number;
  /** Candidates below this cosine similarity are dropped. Default 0.75. */
  readonly minSimilarity?: number;
}

/** A retrieved pattern with the numbers that ranked it. */
export interface RetrievedPattern {
  readonly pattern: MistakePattern;
  /** Cosine similarity between the request and the pattern's description. */
  readonly similarity: number;
  /** Similarity weighted by frequency and recency; results are sorted by it. */
  readonly score: number;
}

const DAY = 86_400_000;

/**
 * Similarity, weighted: a mistake seen often weighs more (logarithmically and at most +20 %, so a
 * pattern seen 50 times does not drown better matches), and a recent one more than a stale one (half-life ~90 days,
 * never below 80 %). Similarity dominates; the weights reorder near-ties.
 */
export function score(similarity: number, pattern: MistakePattern, now: number): number {
  const freq = Math.min(1.2, 1 + 0.04 * Math.log2(1 + Math.max(0, pattern.frequency - 1)));
  const ageDays = Math.max(0, now - pattern.lastSeen) / DAY;
  const recency = 0.8 + 0.2 * Math.pow(0.5, ageDays / 90);
  return similarity * freq * recency;
}

export function rank(hits: readonly { pattern: MistakePattern; similarity: number }[], now: number, k: number): RetrievedPattern[] {
  return hits
    .map((h) => ({ pattern: h.pattern, similarity: h.similarity, score: score(h.similarity, h.pattern, now) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
