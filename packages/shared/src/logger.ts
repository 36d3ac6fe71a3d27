/** The logging port. Libraries never write to the console; they take a Logger. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A logger that drops everything: the default for libraries. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export interface StreamLoggerOptions {
  /** Where lines go; CLIs pass `process.stderr` so stdout stays machine-readable. */
  readonly write: (line: string) => void;
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** Scrubs a line before it is written (for example secret redaction). Default: identity. */
  readonly redact?: (text: string) => string;
}

/** A logger writing one line per record: `level message {fields}`. */
export function createStreamLogger(options: StreamLoggerOptions): Logger {
  const min = ORDER[options.level ?? 'info'];
  const redact = options.redact ?? ((t: string) => t);
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    options.write(redact(`${level} ${message}${tail}\n`));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
