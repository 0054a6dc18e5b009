import type { TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from './ast.js';
import type { FileView } from './file-view.js';

import { functionName, isFunction, memberName, unwrap, walk } from './ast.js';

/** Timer functions whose callback runs once the time is up: a hand-rolled TTL. */
export const TIMER_FUNCTIONS: ReadonlySet<string> = new Set(['setTimeout', 'setInterval']);

/** A timer armed where an entry is stored, whose callback removes that entry. */
export interface InsertionTimer {
  fn: FunctionNode;
  /** The function that stores the entry and arms the timer (`set`), if it has a name. */
  armedBy: string | undefined;
}

/** `setTimeout(fn, ms)`, `timers.setTimeout(fn, ms)`: the callback. */
function timerCallback(call: TSESTree.CallExpression): TSESTree.Node | undefined {
  const callee = unwrap(call.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
  return name !== undefined && TIMER_FUNCTIONS.has(name) ? call.arguments[0] : undefined;
}

/** Text of the collections `fn` removes entries from: `this.entries` for `this.entries.delete(key)` or `delete this.entries[key]`. */
function removedFrom(fn: FunctionNode, file: FileView): Set<string> {
  const collections = new Set<string>();
  walk(fn.body, file.visitorKeys, (node) => {
    if (isFunction(node)) return false;
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && memberName(node.callee) === 'delete' && node.arguments.length > 0) {
      collections.add(file.getText(unwrap(node.callee.object)));
    } else if (node.type === 'UnaryExpression' && node.operator === 'delete' && node.argument.type === 'MemberExpression') {
      collections.add(file.getText(unwrap(node.argument.object)));
    }
    return undefined;
  });
  return collections;
}

/**
 * Whether a stored value is the timer itself or a record of it (`setTimeout(…)`, `{ id, ms }` with
 * `var id = setTimeout(…)`): the collection is then a registry of timers that the callback tidies
 * (Emscripten's `__setitimer_js`), not a cache whose value the timer expires.
 */
function holdsTimer(value: TSESTree.Node | undefined, timer: TSESTree.CallExpression): boolean {
  if (!value) return false;
  const stored = unwrap(value);
  if (stored === timer) return true;
  if (stored.type === 'Identifier') {
    const declarator = timer.parent;
    return declarator?.type === 'VariableDeclarator' && declarator.id.type === 'Identifier' && declarator.id.name === stored.name;
  }
  return stored.type === 'ObjectExpression' && stored.properties.some((property) => property.type === 'Property' && holdsTimer(property.value, timer));
}

/**
 * Whether `fn` stores a value other than the timer into one of `collections`
 * (`this.entries.set(key, value)`, `this.entries[key] = value`).
 */
function storesInto(fn: FunctionNode, collections: ReadonlySet<string>, timer: TSESTree.CallExpression, file: FileView): boolean {
  let stores = false;
  walk(fn.body, file.visitorKeys, (node) => {
    if (stores || isFunction(node)) return false;
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && memberName(node.callee) === 'set') {
      stores = collections.has(file.getText(unwrap(node.callee.object))) && !holdsTimer(node.arguments[1], timer);
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && node.left.computed) {
      stores = collections.has(file.getText(unwrap(node.left.object))) && !holdsTimer(node.right, timer);
    }
    return undefined;
  });
  return stores;
}

/**
 * A hand-rolled TTL: a function stores an entry and arms a timer whose callback removes that
 * entry from the same collection (`this.clients.set(key, c); setTimeout(() => { this.clients.delete(key); c.close(); }, ttl)`).
 * The callback is an eviction path. A timer that removes nothing (a request timeout) is not.
 */
export function insertionTimer(callback: FunctionNode, file: FileView): InsertionTimer | undefined {
  const call = callback.parent;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== callback || !timerCallback(call)) return undefined;
  let armedIn: TSESTree.Node | undefined = call.parent;
  while (armedIn && !isFunction(armedIn)) armedIn = armedIn.parent;
  if (!armedIn || !isFunction(armedIn)) return undefined;
  const collections = removedFrom(callback, file);
  return collections.size > 0 && storesInto(armedIn, collections, call, file) ? { fn: callback, armedBy: functionName(armedIn) } : undefined;
}

/** Every insertion timer of a file no selector has looked at (another file of the program). */
export function insertionTimers(file: FileView): InsertionTimer[] {
  const found: InsertionTimer[] = [];
  walk(file.ast, file.visitorKeys, (node) => {
    const callback = node.type === 'CallExpression' ? timerCallback(node) : undefined;
    const timer = isFunction(callback) ? insertionTimer(callback, file) : undefined;
    if (timer) found.push(timer);
  });
  return found;
}
