import type { TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FunctionNode } from './ast.js';
import type { Slot } from './callback-flow.js';
import type { CrossFile, FileView } from './file-view.js';
import type { Settings } from './settings.js';

import { functionName, isFunction, keyName, memberName, unwrap } from './ast.js';
import { HOOK_KEYS } from './cache-libraries.js';
import { namedSlots, slotFunctions, slotOwnerName } from './callback-flow.js';
import { insertionTimer, insertionTimers } from './insertion-timers.js';
import { hooksOfCacheShapedOptions, libraryHooks } from './library-hooks.js';
import { resolveFunction } from './references.js';

/** A function that runs when a cache drops an entry, and how a report describes it. */
export interface EvictionPath {
  fn: FunctionNode;
  file: FileView;
  /** Completes "`client.close()` runs …", given the functions the path went through. */
  describe: (via: readonly string[]) => string;
  /**
   * Known by a name only (a callback given to a cache from elsewhere): only closes of what the
   * cache hands it, a parameter, count.
   */
  closesParametersOnly?: boolean;
}

/**
 * Nodes the rule's selectors saw that may start an eviction path, so the analysis need not search
 * the file for them. Without them (another file of the program) the file is searched.
 */
export interface Candidates {
  /** Functions named as eviction paths or handlers. */
  namedFunctions: readonly FunctionNode[];
  timerCallbacks: readonly FunctionNode[];
  /** Objects holding a hook key of the cache-library table. */
  cacheOptions: readonly TSESTree.ObjectExpression[];
  /** Functions handed to a class or factory named like a cache. */
  cacheCallbacks: readonly FunctionNode[];
  /** Whether a parameter, parameter property or field named as a handler was seen. */
  handlerSlots: boolean;
  /** Whether an import or `require` of a cache library of the table was seen. */
  cacheImports: boolean;
}

export const chain = (names: readonly string[]): string => names.map((name) => `\`${name}\``).join(' → ');

type NameKind = 'eviction handler' | 'eviction path';

// Kept apart from `namedEvictionPath`, which runs for every function: variables a closure captures
// are allocated on each call of the function that makes the closure, even when it makes none.
function pathNamed(fn: FunctionNode, file: FileView, name: string, kind: NameKind): EvictionPath {
  return { fn, file, describe: (via) => `in the ${kind} ${chain([name, ...via])}` };
}

/** The kind of eviction path a function's name says it is (`evictOldest() {}`, `onEviction: (k, v) => …`). */
export function evictionNameKind(fn: FunctionNode, settings: Settings): { name: string; kind: NameKind } | undefined {
  const name = functionName(fn);
  if (name === undefined) return undefined;
  // A private member is matched without its `#`; a string key that starts with `#` is just a string.
  const bare = name.startsWith('#') && 'key' in fn.parent && fn.parent.key.type === 'PrivateIdentifier' ? name.slice(1) : name;
  if (settings.isEvictionName(bare)) return { name, kind: 'eviction path' };
  return settings.isHandlerName(bare) ? { name, kind: 'eviction handler' } : undefined;
}

/** A function that creates the values of a map it is handed with (`createNewValue`, `create`). */
const CREATOR_KEY = /^(?:create|make|build|open)(?![a-z])/u;

/**
 * Whether a handler-named function is an option of a plain call that decides for itself what the
 * handler means: `reconcile(map, next, { onDeleteValue: (w) => w.close() })`. When the called
 * function is visible (in this file, or through types), its body decides: the handler is an
 * eviction path only if the function stores it or calls it on an eviction path, which the other
 * paths find. When it is not, an object that also creates the values (`createNewValue`) is an
 * owner cleaning up what it made alone, as TypeScript's `mutateMap` does with file watchers.
 */
function decidedByCallee(fn: FunctionNode, file: FileView, crossFile: CrossFile | undefined): boolean {
  const property = fn.parent;
  const object = property?.type === 'Property' && property.value === fn ? property.parent : undefined;
  const call = object?.type === 'ObjectExpression' ? object.parent : undefined;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(object as TSESTree.ObjectExpression)) return false;
  if (resolveFunction(call.callee, file) || crossFile?.calledFunction(call, file)) return true;
  return (object as TSESTree.ObjectExpression).properties.some((sibling) => {
    if (sibling.type !== 'Property' || sibling === property) return false;
    const key = keyName(sibling.key, sibling.computed);
    return key !== undefined && CREATOR_KEY.test(key) && (isFunction(sibling.value) || sibling.value.type === 'Identifier');
  });
}

/** Every function of the file, from the scope list. */
function* functionsOf(file: FileView): Iterable<FunctionNode> {
  for (const scope of file.scopeManager?.scopes ?? []) if (scope.type === 'function' && isFunction(scope.block)) yield scope.block;
}

/** Every function of the file (or of `candidates`) named as an eviction path, in source order. */
function namedEvictionPaths(file: FileView, settings: Settings, crossFile: CrossFile | undefined, candidates?: readonly FunctionNode[]): EvictionPath[] {
  const found: EvictionPath[] = [];
  for (const fn of candidates ?? functionsOf(file)) {
    const named = evictionNameKind(fn, settings);
    if (!named || (named.kind === 'eviction handler' && decidedByCallee(fn, file, crossFile))) continue;
    found.push(pathNamed(fn, file, named.name, named.kind));
  }
  // Scopes and selector matches come in the order of a walk (decorators, for one, after their
  // class member); the first path to reach a close names it in the report.
  return found.sort((a, b) => a.fn.range[0] - b.fn.range[0]);
}

/** A class or function this file defines itself (not an import or a `require`d value). */
function definedInFile(identifier: TSESTree.Identifier, file: FileView): boolean {
  const definition = findVariable(file.getScope(identifier), identifier)?.defs[0];
  if (definition?.type === 'ClassName' || definition?.type === 'FunctionName') return true;
  const init = definition?.node.type === 'VariableDeclarator' ? definition.node.init : undefined;
  return isFunction(init) || init?.type === 'ClassExpression';
}

/**
 * A function handed to a cache from elsewhere, known by its name only (`createClientCache(max,
 * ping, (key, entry) => entry.client.destroy())`, or as its `dispose` / `onEvict…` option): an
 * eviction callback when it closes what it is given. A cache defined in the file, or found
 * through types, is judged by its body instead.
 */
function handedToCacheByName(fn: FunctionNode, file: FileView, settings: Settings, crossFile: CrossFile | undefined): string | undefined {
  // Handed straight over, or as an option named like a hook (`createTtlCache({ max, dispose: (pool) => … })`).
  let handed: TSESTree.Node = fn;
  const property = fn.parent;
  if (property?.type === 'Property' && property.value === fn && property.parent.type === 'ObjectExpression') {
    const key = keyName(property.key, property.computed);
    if (key === undefined || !(HOOK_KEYS.has(key) || settings.isHandlerName(key))) return undefined;
    handed = property.parent;
  }
  const call = handed.parent;
  if ((call?.type !== 'CallExpression' && call?.type !== 'NewExpression') || !call.arguments.includes(handed as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(call.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
  if (name === undefined || !settings.isCacheName(name)) return undefined;
  if (callee.type === 'Identifier' && definedInFile(callee, file)) return undefined;
  if (crossFile?.referencedFunction(callee, file, { construct: call.type === 'NewExpression' })) return undefined;
  return file.getText(call.callee);
}

/** What callers hand in through a slot that is an eviction hook, as paths. */
function pathsThroughSlot(slot: Slot, file: FileView, crossFile: CrossFile | undefined, describe: (via: readonly string[]) => string): EvictionPath[] {
  return slotFunctions(slot, file, crossFile).map(({ fn, file: fnFile }) => ({ fn, file: fnFile, describe }));
}

/**
 * Every eviction path of the file: hooks handed to cache libraries first, so a report names the
 * library rather than the hook (`onEviction`); then callbacks handed to a hand-rolled cache
 * through a handler-named parameter; functions named as eviction paths; and timers armed at
 * insertion that remove the entry, and callbacks handed to a cache from elsewhere by its name.
 */
export function evictionPaths(file: FileView, settings: Settings, crossFile?: CrossFile, candidates?: Candidates): EvictionPath[] {
  const paths: EvictionPath[] = [];
  const hooks = candidates && !candidates.cacheImports ? [] : libraryHooks(file);
  for (const { library, hook, fn, slot, byShape } of [...hooks, ...hooksOfCacheShapedOptions(file, candidates?.cacheOptions)]) {
    const describe = (via: readonly string[]): string => {
      if (library.events.length > 0) return `when ${library.module} emits ${chain([hook, ...via])}`;
      const cache = byShape ? `a cache with options shaped like ${library.module}'s` : library.module;
      return `when ${cache} evicts this entry (${chain([hook, ...via])})`;
    };
    if (fn) paths.push({ fn, file, describe });
    if (slot) paths.push(...pathsThroughSlot(slot, file, crossFile, (via) => describe([slot.name, ...via])));
  }
  for (const slot of candidates && !candidates.handlerSlots ? [] : namedSlots(file, settings)) {
    const owner = slotOwnerName(slot);
    paths.push(...pathsThroughSlot(slot, file, crossFile, (via) => `when \`${owner}\` drops an entry (${chain([slot.name, ...via])})`));
  }
  paths.push(...namedEvictionPaths(file, settings, crossFile, candidates?.namedFunctions));
  const timers = candidates ? candidates.timerCallbacks.flatMap((fn) => insertionTimer(fn, file) ?? []) : insertionTimers(file);
  for (const { fn, armedBy } of timers) {
    const armed = armedBy === undefined ? 'at insertion' : `by \`${armedBy}\``;
    paths.push({ fn, file, describe: (via) => `in the timer armed ${armed} that removes the entry${via.length > 0 ? ` (${chain(via)})` : ''}` });
  }
  // Another file of the program is read for its slots only: a callback handed to a cache by name is this file's concern.
  for (const fn of candidates?.cacheCallbacks ?? []) {
    const cache = handedToCacheByName(fn, file, settings, crossFile);
    if (cache !== undefined) {
      paths.push({ fn, file, closesParametersOnly: true, describe: (via) => `when \`${cache}\` drops an entry (a callback it is given${via.length > 0 ? `: ${chain(via)}` : ''})` });
    }
  }
  // One path per function: the first, most telling description wins.
  const seen = new Set<FunctionNode>();
  return paths.filter((path) => !seen.has(path.fn) && seen.add(path.fn));
}
