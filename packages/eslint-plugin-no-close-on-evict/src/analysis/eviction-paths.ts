import type { TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from './ast.js';
import type { Slot } from './callback-flow.js';
import type { CrossFile, FileView } from './file-view.js';
import type { Settings } from './settings.js';

import { functionName, isFunction, keyName } from './ast.js';
import { namedSlots, slotFunctions, slotOwnerName } from './callback-flow.js';
import { insertionTimer, insertionTimers } from './insertion-timers.js';
import { libraryHooks } from './library-hooks.js';
import { resolveFunction } from './references.js';

/** A function that runs when a cache drops an entry, and how a report describes it. */
export interface EvictionPath {
  fn: FunctionNode;
  file: FileView;
  /** Completes "`client.close()` runs …", given the functions the path went through. */
  describe: (via: readonly string[]) => string;
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

/** Every function of the file named as an eviction path, in source order, from the scope list. */
function namedEvictionPaths(file: FileView, settings: Settings, crossFile: CrossFile | undefined): EvictionPath[] {
  const found: EvictionPath[] = [];
  for (const scope of file.scopeManager?.scopes ?? []) {
    if (scope.type !== 'function' || !isFunction(scope.block)) continue;
    const named = evictionNameKind(scope.block, settings);
    if (!named || (named.kind === 'eviction handler' && decidedByCallee(scope.block, file, crossFile))) continue;
    found.push(pathNamed(scope.block, file, named.name, named.kind));
  }
  // Scopes are listed in the order the scope manager visits them (decorators, for one, after
  // their class member); the first path to reach a close names it in the report.
  return found.sort((a, b) => a.fn.range[0] - b.fn.range[0]);
}

/** What callers hand in through a slot that is an eviction hook, as paths. */
function pathsThroughSlot(slot: Slot, file: FileView, crossFile: CrossFile | undefined, describe: (via: readonly string[]) => string): EvictionPath[] {
  return slotFunctions(slot, file, crossFile).map(({ fn, file: fnFile }) => ({ fn, file: fnFile, describe }));
}

/**
 * Every eviction path of the file: hooks handed to cache libraries first, so a report names the
 * library rather than the hook (`onEviction`); then callbacks handed to a hand-rolled cache
 * through a handler-named parameter; functions named as eviction paths; and timers armed at
 * insertion that remove the entry. `timerCallbacks` are the candidates the rule's selectors saw;
 * without them (another file) the file is searched.
 */
export function evictionPaths(
  file: FileView,
  settings: Settings,
  crossFile?: CrossFile,
  timerCallbacks?: readonly FunctionNode[],
): EvictionPath[] {
  const paths: EvictionPath[] = [];
  for (const { library, hook, fn, slot } of libraryHooks(file)) {
    const describe = (via: readonly string[]): string =>
      library.events.length > 0 ? `when ${library.module} emits ${chain([hook, ...via])}` : `when ${library.module} evicts this entry (${chain([hook, ...via])})`;
    if (fn) paths.push({ fn, file, describe });
    if (slot) paths.push(...pathsThroughSlot(slot, file, crossFile, (via) => describe([slot.name, ...via])));
  }
  for (const slot of namedSlots(file, settings)) {
    const owner = slotOwnerName(slot);
    paths.push(...pathsThroughSlot(slot, file, crossFile, (via) => `when \`${owner}\` drops an entry (${chain([slot.name, ...via])})`));
  }
  paths.push(...namedEvictionPaths(file, settings, crossFile));
  const timers = timerCallbacks ? timerCallbacks.flatMap((fn) => insertionTimer(fn, file) ?? []) : insertionTimers(file);
  for (const { fn, armedBy } of timers) {
    const armed = armedBy === undefined ? 'at insertion' : `by \`${armedBy}\``;
    paths.push({ fn, file, describe: (via) => `in the timer armed ${armed} that removes the entry${via.length > 0 ? ` (${chain(via)})` : ''}` });
  }
  // One path per function: the first, most telling description wins.
  const seen = new Set<FunctionNode>();
  return paths.filter((path) => !seen.has(path.fn) && seen.add(path.fn));
}
