export { checkEvictionSafety } from './check-eviction-safety.js';
export { AdapterError } from './adapter.js';
export type { CacheAdapter, EvictEntry, EvictionTools, HolderLease } from './adapter.js';
export { EVICTION_PATHS } from './eviction-paths.js';
export type { EvictionPath } from './eviction-paths.js';
export type { CheckOptions, EvictionSafetyOptions, LeakProbeOptions } from './options.js';
export type { SettleMode } from './settle/settle.js';
export { BUILT_IN_KINDS } from './kinds/built-in.js';
export type { ClientKindName } from './kinds/built-in.js';
export { defineClientKind } from './kinds/define-client-kind.js';
export { trackConnections } from './kinds/connections.js';
export type {
  BackendOptions,
  ClientKind,
  ClientOptions,
  ConnectionCounter,
  EvictableClient,
  KindBackend,
  OperationInFlight,
} from './kinds/client-kind.js';
export { CLOSING_VERBS } from './tripwire/closing-verbs.js';
export type { ClosingVerb } from './tripwire/closing-verbs.js';
export { formatCaseResult, formatLeakProbe, formatReport } from './report/format.js';
export type {
  AllowedBy,
  CaseResult,
  ErrorKind,
  LeakProbeResult,
  ObservedClose,
  ObservedError,
  PendingTimer,
  Report,
  ScenarioName,
  SettleEnd,
  SettleOutcome,
} from './report/results.js';
export * from './adapters/index.js';
