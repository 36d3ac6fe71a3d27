export { STAGES } from './events.js';
export type {
  Stage,
  GateName,
  GateStatus,
  GateResult,
  Usage,
  RunStatus,
  FinalOutcome,
  RunEvent,
  RunEventListener,
} from './events.js';
export { prepareDemo } from './demo.js';
export type { DemoError, DemoOptions, DemoReport } from './demo.js';
