/** How a user's chat message corrects the previous answer. */
export type CorrectionKind = 'wrong' | 'forgot' | 'should_be' | 'use_instead' | 'fix_bug';

/** A recognized correction: what was wrong and, when the user said so, what is right. */
export interface Correction {
  readonly kind: CorrectionKind;
  /** The user's message, trimmed. */
  readonly text: string;
  /** The wrong thing (`Y` in "should be X not Y", `X` in "don't use X, use Y"). */
  readonly wrong?: string;
  /** The right thing (`X` in "should be X not Y", `Y` in "use Y instead", what was forgotten). */
  readonly right?: string;
}

const clean = (s: string | undefined): string | undefined => {
  const t = s
    ?.trim()
    .replace(/^[`'"]+|[`'".,!;:]+$/g, '')
    .trim();
  return t === undefined || t === '' ? undefined : t;
};

interface Recognizer {
  readonly kind: CorrectionKind;
  readonly re: RegExp;
  readonly pick: (m: RegExpMatchArray) => { wrong?: string; right?: string };
}

// Ordered: the most specific phrasing wins.
const RECOGNIZERS: readonly Recognizer[] = [
  {
    kind: 'use_instead',
    re: /\b(?:don'?t|do not|never|stop)\s+use\s+(.+?)[,;.]?\s+(?:but\s+)?(?:use|prefer)\s+(.+?)(?:\s+instead)?\s*[.!]?$/i,
    pick: (m) => ({ wrong: m[1], right: m[2] }),
  },
  {
    kind: 'use_instead',
    re: /\buse\s+(.+?)\s+instead\s+of\s+(.+?)\s*[.!]?$/i,
    pick: (m) => ({ right: m[1], wrong: m[2] }),
  },
  {
    kind: 'should_be',
    re: /\bshould\s+(?:be|use|return|call)\s+(.+?),?\s+(?:not|instead of|rather than)\s+(.+?)\s*[.!]?$/i,
    pick: (m) => ({ right: m[1], wrong: m[2] }),
  },
  {
    kind: 'forgot',
    re: /\b(?:you\s+)?(?:forgot|forget|missed|omitted|left out)\s+(?:to\s+)?(.+?)\s*[.!]?$/i,
    pick: (m) => ({ right: m[1] }),
  },
  {
    kind: 'fix_bug',
    re: /\b(?:fix|there'?s|there is|you introduced)\s+(?:the|a|this|that)\s+bug\b/i,
    pick: () => ({}),
  },
  {
    kind: 'wrong',
    re: /^\s*(?:no[,.!]?\s+)?(?:that'?s|this is|that is|it'?s|this'?s)\s+(?:wrong|incorrect|not right|broken)\b|^\s*no[,.!]\s+(?:wrong|incorrect)\b|\bthat'?s not (?:what I|correct|right)\b/i,
    pick: () => ({}),
  },
];

/**
 * Recognizes a correction in a user's chat message: "no, that's wrong", "you forgot to …",
 * "should be X not Y", "don't use X, use Y instead", "fix the bug". Returns `null` for anything
 * else, so ordinary chat is never learned as a mistake.
 */
export function detectCorrection(text: string): Correction | null {
  const message = text.trim();
  if (message === '' || message.length > 2000) return null;
  for (const r of RECOGNIZERS) {
    const m = message.match(r.re);
    if (!m) continue;
    const picked = r.pick(m);
    const wrong = clean(picked.wrong);
    const right = clean(picked.right);
    return { kind: r.kind, text: message, ...(wrong ? { wrong } : {}), ...(right ? { right } : {}) };
  }
  return null;
}
