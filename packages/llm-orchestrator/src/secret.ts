import { inspect } from 'node:util';

/**
 * An API key that cannot leak by accident: JSON, `String()`, template literals and
 * `util.inspect` (so loggers and test failure output) all print `[redacted]`.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The key itself, for the one place that needs it: the SDK client constructor. */
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
