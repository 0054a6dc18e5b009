import type { TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from './ast.js';
import type { CacheLibrary } from './cache-libraries.js';
import type { Slot } from './callback-flow.js';
import type { FileView } from './file-view.js';

import { keyName, walk } from './ast.js';
import { CACHE_LIBRARIES } from './cache-libraries.js';
import { slotOf } from './callback-flow.js';
import { cacheConstructions } from './library-imports.js';
import { eventListeners, resolveFunction, resolveObject } from './references.js';

/** A function a cache library calls for each entry it drops, or a caller's callback forwarded to it. */
export interface LibraryHook {
  library: CacheLibrary;
  /** Found by the shape of an options object rather than where the cache is made. */
  byShape?: boolean;
  /** The option key or event name: `dispose`, `onEviction`, `expired`. */
  hook: string;
  fn?: FunctionNode;
  /** `dispose: onEvict` with `onEvict` a parameter: the wrapper's callers decide what runs. */
  slot?: Slot;
}

/** Hook functions in an options object, through consts and spreads (`{ ...base, max }`). */
function hooksIn(options: TSESTree.Node, library: CacheLibrary, file: FileView, found: LibraryHook[], depth = 0, byShape = false): void {
  const object = resolveObject(options, file);
  if (!object || depth > 3) return;
  for (const property of object.properties) {
    if (property.type === 'SpreadElement') {
      hooksIn(property.argument, library, file, found, depth + 1, byShape);
      continue;
    }
    const hook = keyName(property.key, property.computed);
    if (hook === undefined || !library.hooks.includes(hook)) continue;
    const fn = resolveFunction(property.value, file);
    const slot = fn ? undefined : slotOf(property.value, file);
    if (fn || slot) found.push({ library, hook, ...(byShape ? { byShape } : {}), ...(fn ? { fn } : {}), ...(slot ? { slot } : {}) });
  }
}

/** The library whose options `object` looks like: a hook key of it and one of its own option keys (`dispose` with `max`). */
function libraryOfShape(object: TSESTree.ObjectExpression): CacheLibrary | undefined {
  const keys = new Set<string>();
  for (const property of object.properties) {
    const key = property.type === 'Property' ? keyName(property.key, property.computed) : undefined;
    if (key !== undefined) keys.add(key);
  }
  return CACHE_LIBRARIES.find(({ hooks, optionKeys }) => hooks.some((hook) => keys.has(hook)) && optionKeys.some((key) => keys.has(key)));
}

/**
 * Whether an object is (part of) an argument of a call: it belongs to that call. A library of
 * the table was found where the cache is made; any other callee (`new Pool({ max, dispose })`,
 * a test harness's `adapter({ options: { max, dispose } })`) decides what its options mean.
 */
function isHandedToCall(object: TSESTree.ObjectExpression): boolean {
  let child: TSESTree.Node = object;
  for (let parent = object.parent; parent; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'CallExpression':
      case 'NewExpression':
        return parent.arguments.includes(child as TSESTree.CallExpressionArgument);
      case 'Property':
      case 'ObjectExpression':
      case 'ArrayExpression':
      case 'SpreadElement':
      case 'ConditionalExpression':
      case 'LogicalExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
        continue;
      default:
        return false;
    }
  }
  return false;
}

/**
 * Hooks of objects shaped like a cache library's options that are not handed to a call:
 * shared option objects in a constants module, options built before the cache is (`candidates`
 * are the objects the rule's selectors saw; without them the file is searched).
 */
export function hooksOfCacheShapedOptions(file: FileView, candidates?: readonly TSESTree.ObjectExpression[]): LibraryHook[] {
  const objects: TSESTree.ObjectExpression[] = candidates ? [...candidates] : [];
  if (!candidates) {
    walk(file.ast, file.visitorKeys, (node) => {
      if (node.type === 'ObjectExpression') objects.push(node);
    });
  }
  const found: LibraryHook[] = [];
  for (const object of objects) {
    const library = cacheShapedOptions(object);
    if (library) hooksIn(object, library, file, found, 0, true);
  }
  return found;
}

/** The library whose options `object` looks like, unless a call it is handed to decides (see `isHandedToCall`). */
export function cacheShapedOptions(object: TSESTree.ObjectExpression): CacheLibrary | undefined {
  return isHandedToCall(object) ? undefined : libraryOfShape(object);
}

/**
 * Eviction hooks handed to the cache libraries this file uses: option hooks of every cache it
 * makes, and for an EventEmitter cache (node-cache) the file's listeners for its eviction events.
 */
export function libraryHooks(file: FileView): LibraryHook[] {
  const found: LibraryHook[] = [];
  const emitters: CacheLibrary[] = [];
  for (const { library, options } of cacheConstructions(file)) {
    if (options) hooksIn(options, library, file, found);
    if (library.events.length > 0 && !emitters.includes(library)) emitters.push(library);
  }
  for (const library of emitters) {
    const events = new Set(library.events);
    for (const { events: heard, handler } of eventListeners(file.ast, file, events)) {
      const fn = resolveFunction(handler, file);
      if (fn) found.push({ library, hook: heard.find((event) => events.has(event))!, fn });
    }
  }
  return found;
}
