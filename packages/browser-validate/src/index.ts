export { createBrowserValidator } from './validator.js';
export type { BrowserValidator, BrowserValidatorOptions, CheckInput } from './validator.js';
export type { BrowserError, BrowserErrorKind } from './errors.js';
export type {
  CheckResult,
  CheckPolicy,
  ConsoleEntry,
  ConsoleLevel,
  ExceptionEntry,
  NetworkEntry,
  NetworkFailure,
  PageMetrics,
  Screenshot,
  SourceLocation,
  StackFrame,
  StepResult,
} from './result.js';
export { parseSteps } from './steps.js';
export type { Step, StepAction } from './steps.js';
export type { BrowserProcessInfo } from './browser-session.js';
export type { Viewport } from './page-session.js';
export type { SiteInput } from './site.js';
