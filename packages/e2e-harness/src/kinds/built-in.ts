import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ClientKind } from './client-kind.js';
import { usePGlite } from './pg/pglite-engine.js';

/** Names of the client kinds the harness ships. */
export const BUILT_IN_KINDS = ['undici-agent', 'openai', 'anthropic', 'mcp', 'ws', 'pg', 'node-http'] as const;
export type ClientKindName = (typeof BUILT_IN_KINDS)[number];

/** The kinds a check uses when `clients` is not given: those whose packages are required peers. */
export const DEFAULT_KINDS: readonly ClientKindName[] = ['undici-agent', 'openai'];

interface BuiltIn {
  /** The packages the kind imports (its client and its backend); all but msw, openai and undici are optional peers. */
  packages: readonly string[];
  /** Imported only when a check names the kind, so a missing optional peer costs nothing otherwise. */
  load(): Promise<ClientKind>;
  /** Begins a backend start that takes seconds, before any kind is imported; returns its release. */
  warmUp?(): () => void;
}

// Each kind's module is typed for its own client and backend; the check sees them all as ClientKind.
const asKind = <T extends object>(kind: T) => kind as unknown as ClientKind;

const BUILT_INS: Record<ClientKindName, BuiltIn> = {
  'undici-agent': { packages: ['undici', 'msw'], load: async () => asKind((await import('./undici-agent/index.js')).undiciAgentKind) },
  openai: { packages: ['openai', 'undici', 'msw'], load: async () => asKind((await import('./openai/index.js')).openAIKind) },
  anthropic: { packages: ['@anthropic-ai/sdk', 'undici', 'msw'], load: async () => asKind((await import('./anthropic/index.js')).anthropicKind) },
  mcp: { packages: ['@modelcontextprotocol/sdk', 'undici'], load: async () => asKind((await import('./mcp/index.js')).mcpKind) },
  ws: { packages: ['ws'], load: async () => asKind((await import('./ws/index.js')).wsKind) },
  pg: {
    packages: ['pg', '@electric-sql/pglite', '@electric-sql/pglite-socket'],
    load: async () => asKind((await import('./pg/index.js')).pgKind),
    warmUp: () => usePGlite().release,
  },
  'node-http': { packages: [], load: async () => asKind((await import('./node-http/index.js')).nodeHttpKind) },
};

export function isBuiltInKind(name: unknown): name is ClientKindName {
  return typeof name === 'string' && Object.hasOwn(BUILT_INS, name);
}

const lookupPaths = createRequire(import.meta.url).resolve.paths;

/**
 * The packages of `packages` not installed where the harness looks them up. It looks for the
 * package's directory, not an entry point: some packages' `require` entry points are missing.
 */
export function missingPackages(packages: readonly string[]): string[] {
  return packages.filter((name) => !(lookupPaths(name) ?? []).some((dir) => existsSync(join(dir, name, 'package.json'))));
}

/** Throws an Error naming the packages to install when a built-in kind's packages are missing. */
export function requireKindPackages(name: ClientKindName): void {
  const missing = missingPackages(kindPackages(name));
  if (missing.length === 0) return;
  throw new Error(
    `client kind '${name}' needs ${missing.join(', ')} (peer dependencies of @no-close-on-evict/e2e-harness), not installed; ` +
      `install next to the harness: npm install --save-dev ${missing.join(' ')}`,
  );
}

/** The packages a built-in kind imports. */
export const kindPackages = (name: ClientKindName): readonly string[] => BUILT_INS[name].packages;

export function loadBuiltInKind(name: ClientKindName): Promise<ClientKind> {
  return BUILT_INS[name].load();
}

/** Begins the kind's slow backend start, if it has one; returns what ends that head start. */
export function warmUpBuiltInKind(name: ClientKindName): () => void {
  return BUILT_INS[name].warmUp?.() ?? (() => undefined);
}
