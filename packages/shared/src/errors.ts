/**
 * The error shape every Yantra package uses at its boundary: a plain, serializable
 * object with a closed `kind`. Plain objects survive IPC, MCP and JSON intact.
 */
export interface YantraError<K extends string = string> {
  readonly kind: K;
  readonly message: string;
  /** True when trying the same operation again may succeed. */
  readonly retryable?: boolean;
}

/** Builds a typed error value. */
export function makeError<K extends string, X extends object = Record<never, never>>(
  kind: K,
  message: string,
  extra?: X,
): YantraError<K> & X {
  return { kind, message, ...(extra ?? ({} as X)) };
}

/** Turns any thrown value into a message, without losing `cause` chains. */
export function describeUnknown(value: unknown): string {
  if (value instanceof Error) {
    const cause = value.cause === undefined ? '' : ` (cause: ${describeUnknown(value.cause)})`;
    return `${value.message}${cause}`;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** The Node error code of a thrown system error (`ENOENT`, `EACCES`, ...), if any. */
export function errnoCode(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'code' in value) {
    const code = (value as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
