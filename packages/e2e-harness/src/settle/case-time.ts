import { CLIENT_MODULES } from './call-site.js';
import { DEFAULT_HORIZON_MS, VirtualTime } from './virtual-time.js';

/**
 * A case's virtual time (or a leak probe's) under the holders' grace: repeating work is followed
 * through at least the default hour, and through twice the grace, so a sweep closing what was
 * evicted at least the grace ago is reached.
 */
export function caseTime(holderGraceMs: number): VirtualTime {
  const horizonMs = Number.isFinite(holderGraceMs) ? Math.max(DEFAULT_HORIZON_MS, 2 * holderGraceMs) : DEFAULT_HORIZON_MS;
  return new VirtualTime({ horizonMs, clientModules: CLIENT_MODULES });
}
