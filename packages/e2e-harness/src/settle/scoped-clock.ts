import { performance } from 'node:perf_hooks';
import { scopes } from './scope-context.js';

type Reader = (...args: never[]) => unknown;

/** What the clocks read of the current scope (a TrackingScope, whose module stands above this one). */
interface ClockedScope {
  readonly time: { clockOffset(reader: Reader): number; wallClock(reader: Reader): number | undefined };
}

const currentTime = () => (scopes.getStore() as ClockedScope | undefined)?.time;

/** How far the current case's clock is ahead for a read made by `reader`; 0 outside every case. */
const offsetFor = (reader: Reader): number => currentTime()?.clockOffset(reader) ?? 0;

/**
 * Replaces `Date.now`, `performance.now` and the `Date` constructor with versions that add the
 * current case's virtual offset when the cache's code calls them inside that case's async
 * context, and return real time everywhere else (other cases, the harness, the clients, the test
 * runner). Returns the function that puts back what was there.
 */
function install(): () => void {
  const RealDate = globalThis.Date;
  const realDateNow = RealDate.now;
  const realPerformanceNow = performance.now.bind(performance);
  const ownPerformanceNow = Object.getOwnPropertyDescriptor(performance, 'now');

  const dateNow = function now(): number {
    return currentTime()?.wallClock(now) ?? realDateNow();
  };
  const performanceNow = function now(): number {
    return realPerformanceNow() + offsetFor(now);
  };
  // A Proxy, not a subclass: `new Date()` still yields a plain Date, `instanceof` and
  // `Date.prototype` are unchanged, and code that captured the real Date keeps working.
  const ScopedDate: DateConstructor = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget: DateConstructor): Date {
      const construct = target as new (...values: unknown[]) => Date;
      return Reflect.construct(construct, args.length === 0 ? [dateNow()] : args, newTarget === ScopedDate ? target : newTarget);
    },
    // `Date()` called as a function returns the current time as a string and ignores its arguments.
    apply(target) {
      return new target(dateNow()).toString();
    },
  });

  RealDate.now = dateNow;
  Object.defineProperty(performance, 'now', { value: performanceNow, configurable: true, writable: true });
  globalThis.Date = ScopedDate;
  return () => {
    // Put back only what is still ours: a fake clock installed meanwhile keeps its own.
    if (RealDate.now === dateNow) RealDate.now = realDateNow;
    if (performance.now === performanceNow) {
      if (ownPerformanceNow) Object.defineProperty(performance, 'now', ownPerformanceNow);
      else Reflect.deleteProperty(performance, 'now');
    }
    if (globalThis.Date === ScopedDate) globalThis.Date = RealDate;
  };
}

let users = 0;
let uninstall: (() => void) | undefined;

/** Keeps the scoped clocks installed until every returned function has been called. */
export function useScopedClock(): () => void {
  if (users++ === 0) uninstall = install();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) {
      uninstall?.();
      uninstall = undefined;
    }
  };
}
