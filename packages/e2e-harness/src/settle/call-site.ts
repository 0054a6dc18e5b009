import { sep } from 'node:path';
import { HARNESS_ROOTS, harnessFolder } from '../util/harness-files.js';

/**
 * Whose code armed a timer or read a clock. Only the cache's own code lives in virtual time: the
 * clients, the harness, the test runner and Node's transports keep real time even when they run
 * inside a case's async context (an undici request a cache makes, a socket it writes).
 */
export type SiteOwner = 'cache' | 'client' | 'harness' | 'node';

/**
 * Packages whose timers and clock reads are never the cache's: the client SDKs and transports
 * the harness hands out or talks to, and the test runners. A kind adds its own (`clientModules`).
 */
export const CLIENT_MODULES: readonly string[] = [
  'undici',
  'openai',
  '@anthropic-ai/sdk',
  '@modelcontextprotocol/sdk',
  'pg',
  'pg-pool',
  'pg-protocol',
  'ws',
  'msw',
  '@mswjs/interceptors',
  '@electric-sql/pglite',
  '@electric-sql/pglite-socket',
  'vitest',
  '@vitest/runner',
  '@vitest/utils',
  'tinypool',
];

// Node modules a cache reaches timers through; any other `node:` frame is a transport's own
// timer (a socket timeout, an http keep-alive, the bundled fetch).
const TIMER_ENTRY_POINTS = new Set([
  'node:timers',
  'node:timers/promises',
  'node:internal/timers',
  'node:internal/async_hooks',
  'node:internal/abort_controller',
  'node:internal/util',
]);

// Virtual time's own frames: skipped when looking for the code that armed a timer.
const SETTLE_ROOTS = harnessFolder('settle');

const STACK_LIMIT = 24;
const SITE_FRAMES = 4;

type CallSite = NodeJS.CallSite;

/** Call sites above `below`, most recent first. */
export function captureCallSites(below: (...args: never[]) => unknown): CallSite[] {
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = STACK_LIMIT;
  try {
    const holder: { stack?: CallSite[] } = {};
    Error.captureStackTrace(holder, below);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.stackTraceLimit = previousLimit;
  }
}

const fileOf = (site: CallSite): string => site.getFileName() ?? '';
const isNode = (file: string): boolean => file.startsWith('node:');
const isSettle = (file: string): boolean => SETTLE_ROOTS.some((root) => file.startsWith(root));
const isHarness = (file: string): boolean => HARNESS_ROOTS.some((root) => file.startsWith(root));

function inPackage(file: string, name: string): boolean {
  const marker = `node_modules/${name}/`;
  return file.includes(marker) || (sep !== '/' && file.includes(marker.replaceAll('/', sep)));
}

/**
 * The owner of the first frame that is not virtual time's own or a Node entry point into timers:
 * the code that armed the timer or read the clock.
 */
export function siteOwner(sites: readonly CallSite[], clientModules: readonly string[] = CLIENT_MODULES): SiteOwner {
  for (const site of sites) {
    const file = fileOf(site);
    if (isSettle(file)) continue;
    if (isNode(file)) {
      if (TIMER_ENTRY_POINTS.has(file)) continue;
      return 'node';
    }
    if (isHarness(file)) return 'harness';
    if (clientModules.some((name) => inPackage(file, name))) return 'client';
    return 'cache';
  }
  return 'cache';
}

/** The first frames of the code that armed a timer (not Node's, not the harness's), as a stack-trace excerpt for reports. */
export function describeSites(sites: readonly CallSite[]): string {
  const firstHarnessFrame = sites.findIndex((site) => isHarness(fileOf(site)));
  return (firstHarnessFrame === -1 ? sites : sites.slice(0, firstHarnessFrame))
    .filter((site) => !isNode(fileOf(site)))
    .slice(0, SITE_FRAMES)
    .map((site) => `    at ${site.toString()}`)
    .join('\n');
}
