export { DEFAULT_PANEL_SIZES, MIN_PANEL_PERCENT, normalizePanelSizes } from './layout.js';
export type { PanelSizes } from './layout.js';
export { PROVIDERS, KEYED_PROVIDERS, backendError } from './protocol/messages.js';
export type {
  Provider,
  KeyedProvider,
  SanitizedSettings,
  BreakerState,
  UsageReport,
  MistakePattern,
  MistakeQuery,
  ProjectInfo,
  RunSummary,
  Messages,
  MessageType,
  ParamsOf,
  ResultOf,
  BackendError,
  BackendErrorKind,
  Reply,
  RequestFrame,
  SequencedEvent,
  ServerFrame,
  Transport,
  ConnectionStatus,
} from './protocol/messages.js';
export { MESSAGE_TYPES, parseRequestFrame } from './protocol/validate.js';
export type { Pipeline, PipelineRequest, PipelineRunOptions, MistakesPort, UsagePort, ProjectPort } from './backend/ports.js';
export { createBackend } from './backend/backend.js';
export type { Backend, BackendOptions, Connection } from './backend/backend.js';
export { createRunLog } from './backend/run-log.js';
export type { RunLog, RunLogOptions } from './backend/run-log.js';
export { createSettingsStore } from './backend/settings-store.js';
export type { SettingsStore, SettingsStoreOptions } from './backend/settings-store.js';
export { startUiServer } from './backend/server.js';
export type { UiServer, ServerOptions, ServerError } from './backend/server.js';
export { createReplayPipeline, loadRecordedRuns } from './backend/replay-pipeline.js';
export type { RecordedRun, RecordedEvent, RecordingError, ReplayPipelineOptions } from './backend/replay-pipeline.js';
export { createMemoryMistakes, createStaticUsage, createFsProjectPort } from './backend/local-ports.js';
export { startUiApp, createUnwiredPipeline, defaultRendererDir } from './app.js';
export type { UiApp, UiAppOptions } from './app.js';
