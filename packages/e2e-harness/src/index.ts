export { checkEvictionSafety } from './check-eviction-safety.js';
export { AdapterError, EVICTION_PATHS } from './adapter.js';
export type { CacheAdapter, EvictEntry, EvictionPath, EvictionTools } from './adapter.js';
export type { CheckOptions, EvictionSafetyOptions, LeakProbeOptions } from './options.js';
export type { SettleMode } from './settle/settle.js';
export type { ClientKindName, EvictableClient } from './clients/index.js';
export { formatCaseResult, formatLeakProbe, formatReport } from './report.js';
export type {
  CaseResult,
  ErrorKind,
  LeakProbeResult,
  ObservedClose,
  ObservedError,
  PendingResource,
  Report,
  ScenarioName,
  SettleEnd,
  SettleOutcome,
} from './report.js';
export * from './adapters/index.js';
