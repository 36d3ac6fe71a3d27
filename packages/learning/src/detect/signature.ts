import { createHash } from 'node:crypto';

/**
 * Normalizes an error context so that the same mistake in another place hashes the same:
 * paths, quoted names, numbers, addresses and whitespace are replaced by placeholders.
 */
export function normalizeContext(text: string): string {
  return text
    .toLowerCase()
    .replace(/0x[0-9a-f]+/g, '<addr>')
    .replace(/(?:[a-z]:)?(?:[\w.-]*\/)+[\w.-]+\.py\b/g, '<path>')
    .replace(/\bline \d+/g, 'line <n>')
    .replace(/(['"`])(?:(?!\1).){0,200}\1/g, '<q>')
    .replace(/\b\d+(?:\.\d+)?\b/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 400);
}

/** The error signature: a hash of the error type and the normalized context. */
export function errorSignature(errorType: string, context: string): string {
  return createHash('sha256').update(`${errorType.toLowerCase()}\n${normalizeContext(context)}`).digest('hex').slice(0, 32);
}
