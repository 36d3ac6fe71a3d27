export { makeError, describeUnknown, errnoCode } from './errors.js';
export type { YantraError } from './errors.js';
export { silentLogger, createStreamLogger } from './logger.js';
export type { Logger, LogLevel, StreamLoggerOptions } from './logger.js';
export { writeFileAtomic } from './fs-atomic.js';
export type { AtomicWriteError, AtomicWriteOptions } from './fs-atomic.js';
export { resolveUserDirs, projectStateDir } from './xdg.js';
export type { UserDirs } from './xdg.js';
