import type { TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from './ast.js';
import type { CacheLibrary } from './cache-libraries.js';
import type { Slot } from './callback-flow.js';
import type { FileView } from './file-view.js';

import { keyName } from './ast.js';
import { slotOf } from './callback-flow.js';
import { cacheConstructions } from './library-imports.js';
import { eventListeners, resolveFunction, resolveObject } from './references.js';

/** A function a cache library calls for each entry it drops, or a caller's callback forwarded to it. */
export interface LibraryHook {
  library: CacheLibrary;
  /** The option key or event name: `dispose`, `onEviction`, `expired`. */
  hook: string;
  fn?: FunctionNode;
  /** `dispose: onEvict` with `onEvict` a parameter: the wrapper's callers decide what runs. */
  slot?: Slot;
}

/** Hook functions in an options object, through consts and spreads (`{ ...base, max }`). */
function hooksIn(options: TSESTree.Node, library: CacheLibrary, file: FileView, found: LibraryHook[], depth = 0): void {
  const object = resolveObject(options, file);
  if (!object || depth > 3) return;
  for (const property of object.properties) {
    if (property.type === 'SpreadElement') {
      hooksIn(property.argument, library, file, found, depth + 1);
      continue;
    }
    const hook = keyName(property.key, property.computed);
    if (hook === undefined || !library.hooks.includes(hook)) continue;
    const fn = resolveFunction(property.value, file);
    const slot = fn ? undefined : slotOf(property.value, file);
    if (fn || slot) found.push({ library, hook, ...(fn ? { fn } : {}), ...(slot ? { slot } : {}) });
  }
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
