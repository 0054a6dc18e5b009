import type { TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FunctionNode } from './ast.js';
import type { Slot } from './callback-flow.js';
import type { CloseSite } from './closing-calls.js';
import type { EvictionPath } from './eviction-paths.js';
import type { CrossFile, FileView, FunctionInFile } from './file-view.js';
import type { Registration } from './references.js';
import type { Settings } from './settings.js';

import { calleeName, contains, functionName, isFunction, isThis, memberName, unwrap, walk } from './ast.js';
import { slotFunctions, slotOf } from './callback-flow.js';
import { classifyCall, closerHelperReference, closingReferenceSite } from './closing-calls.js';
import { isBehindInUseGuard, isChosenWhileFree } from './in-use-guards.js';
import { eventListeners, isParameterOf, resolveBinding, resolveFunction } from './references.js';

/** A close reached from an eviction path. */
export interface ReachedClose {
  /** What is reported: the close, or the call in the linted file that leads to a close in another file. */
  site: CloseSite;
  /** Names of the functions the path went through, outermost first. */
  via: readonly string[];
  /** Whether an in-use check stands between the eviction path and the close. */
  guarded: boolean;
  /** The close itself when it is in another file: "`client.end()` in closers.ts:3". */
  elsewhere: string | undefined;
}

/** Schedulers whose callback runs later, still as a consequence of the eviction. */
const DEFERRING_FUNCTIONS = new Set(['setTimeout', 'setImmediate', 'queueMicrotask', 'setInterval']);
const DEFERRING_METHODS = new Set(['nextTick', 'then', 'catch', 'finally', 'setTimeout', 'setImmediate', 'queueMicrotask']);
/** Methods that call their callback right away (`entries.forEach(e => e.close())`). */
const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'reduce']);

/** Whether the functions passed to `call` run as part of the caller's path. */
function runsCallbacks(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const callee = unwrap(call.callee);
  if (call.type === 'NewExpression') return callee.type === 'Identifier' && callee.name === 'Promise';
  if (callee.type === 'Identifier') return DEFERRING_FUNCTIONS.has(callee.name);
  if (callee.type !== 'MemberExpression') return false;
  const name = memberName(callee);
  return name !== undefined && (DEFERRING_METHODS.has(name) || ITERATING_METHODS.has(name));
}

const ABORT_EVENTS: ReadonlySet<string> = new Set(['abort']);

/** `controller` for `entry.controller` or `controller`; undefined for `this`, a call's result, and the like. */
function valueName(node: TSESTree.Node): string | undefined {
  const value = unwrap(node);
  if (value.type === 'Identifier') return value.name;
  return value.type === 'MemberExpression' ? memberName(value) : undefined;
}

/** Whose abort a listener hears, by name: `controller` for `controller.signal`; a bare `signal` could be anyone's. */
function signalOwner(receiver: TSESTree.Node): string | undefined {
  const node = unwrap(receiver);
  if (node.type === 'MemberExpression' && memberName(node) === 'signal') return valueName(node.object);
  const name = valueName(node);
  return name === 'signal' ? undefined : name;
}

/** A value a function was handed: `entry` in `entry.client.destroy()` with `entry` a parameter. */
function isParameterValue(target: TSESTree.Node | undefined, file: FileView): boolean {
  let node = target && unwrap(target);
  while (node?.type === 'MemberExpression') node = unwrap(node.object);
  return node?.type === 'Identifier' && findVariable(file.getScope(node), node)?.defs[0]?.type === 'Parameter';
}

/** A module-level value of another file (its logger, its own server): not a value the eviction handed over. */
function isModuleValue(target: TSESTree.Node | undefined, file: FileView): boolean {
  let node = target && unwrap(target);
  while (node?.type === 'MemberExpression') node = unwrap(node.object);
  if (node?.type !== 'Identifier') return false;
  const type = findVariable(file.getScope(node), node)?.scope.variableScope.type;
  return type === 'module' || type === 'global';
}

interface Stretch {
  /** Where this stretch of the path starts: in-use guards are looked for up to here. */
  boundary: FunctionNode;
  file: FileView;
  via: readonly string[];
  guarded: boolean;
  /** The call in the linted file through which the path left it: reported for closes elsewhere. */
  anchor: TSESTree.Node | undefined;
  /** Inside a method of the evicted value's own class: `this` is the value. */
  thisIsValue: boolean;
}

interface Listeners {
  onClose?: (reached: ReachedClose) => void;
  /** Called with each slot a path calls back through (to find a file's eviction slots). */
  onSlot?: (slot: Slot, file: FileView) => void;
}

/**
 * Walks everything an eviction path runs: its own body, callbacks it defers or iterates with,
 * `this.x()` / same-file functions it calls, callbacks its callers handed in (`this.onEvict(k, v)`),
 * the 'abort' listeners of what it aborts (tied by name, see `followAbort`), and with `crossFile`
 * the functions and methods it calls in other files; up to `settings.maxDepth` calls deep.
 */
function walkPath(path: EvictionPath, settings: Settings, crossFile: CrossFile | undefined, listeners: Listeners): void {
  const visited = new Set<FunctionNode>([path.fn]);
  const linted = path.file;

  const guardedAt = (node: TSESTree.Node, stretch: Stretch): boolean =>
    stretch.guarded || isBehindInUseGuard(node, stretch.boundary, settings);

  const reach = (site: CloseSite, stretch: Stretch): void => {
    if (!listeners.onClose || createdWithin(site.target, stretch.boundary, stretch.file)) return;
    if (path.closesParametersOnly && !isParameterValue(site.target, stretch.file)) return;
    const guarded = guardedAt(site.node, stretch) || isChosenWhileFree(site.target, stretch.boundary, settings, stretch.file);
    if (!stretch.anchor) {
      listeners.onClose({ site, via: stretch.via, guarded, elsewhere: undefined });
      return;
    }
    if (isModuleValue(site.target, stretch.file)) return;
    const line = site.node.loc.start.line;
    listeners.onClose({
      site: { node: stretch.anchor, label: linted.getText(stretch.anchor).replace(/\s+/gu, ' '), target: undefined },
      via: stretch.via,
      guarded,
      elsewhere: `\`${site.label}\` in ${stretch.file.otherFile ?? 'another file'}:${line}`,
    });
  };

  const follow = (target: FunctionInFile | undefined, callSite: TSESTree.Node, stretch: Stretch, label = 'callback', thisIsValue = false): void => {
    if (!target || visited.has(target.fn) || stretch.via.length >= settings.maxDepth) return;
    visited.add(target.fn);
    const leaves = target.file !== stretch.file && stretch.anchor === undefined && stretch.file === linted;
    walkFunction(target.fn, {
      boundary: target.fn,
      file: target.file,
      via: [...stretch.via, functionName(target.fn) ?? label],
      guarded: guardedAt(callSite, stretch),
      anchor: leaves ? callSite : stretch.anchor,
      thisIsValue,
    });
  };

  const followSlot = (slot: Slot, callSite: TSESTree.Node, stretch: Stretch): void => {
    listeners.onSlot?.(slot, stretch.file);
    for (const target of slotFunctions(slot, stretch.file, crossFile)) follow(target, callSite, stretch, slot.name);
  };

  // `entry.controller.abort()` runs what was registered for 'abort' on that controller (a pool's
  // `end`, say): in this file, and with types in the files it imports. Listeners are tied to the
  // aborted value by name (`controller` for `controller.signal`); when either side has no name,
  // the listener is followed.
  let abortRegistrations: { registration: Registration; file: FileView }[] | undefined;
  const followAbort = (call: TSESTree.CallExpression, aborted: TSESTree.Node, stretch: Stretch): void => {
    abortRegistrations ??= [stretch.file, ...(crossFile?.importedFiles(stretch.file) ?? [])].flatMap((file) =>
      eventListeners(file.ast, file, ABORT_EVENTS, { eventTarget: true }).map((registration) => ({ registration, file })),
    );
    const abortedName = valueName(aborted);
    for (const { registration, file } of abortRegistrations) {
      const { handler, receiver } = registration;
      const receiverName = receiver && signalOwner(receiver);
      if (abortedName !== undefined && receiverName !== undefined && abortedName !== receiverName) continue;
      const leaves = file !== stretch.file && stretch.anchor === undefined;
      const listening: Stretch = { ...stretch, file, via: [...stretch.via, "'abort' listener"], anchor: leaves ? call : stretch.anchor };
      const fn = resolveFunction(handler, file);
      if (fn) follow({ fn, file }, call, stretch, "'abort' listener");
      else {
        // `signal.addEventListener('abort', pool.end.bind(pool))`
        const site = closingReferenceSite(handler, settings, file);
        if (site) reach(site, listening);
      }
    }
  };

  const handleCallbacks = (call: TSESTree.CallExpression | TSESTree.NewExpression, stretch: Stretch): void => {
    for (const argument of call.arguments) {
      if (isFunction(argument)) {
        // Inline callbacks stay in the caller's stretch, so guards around `setTimeout(…)` count.
        walkFunction(argument, stretch);
        continue;
      }
      const site = closingReferenceSite(argument, settings, stretch.file);
      if (site) {
        reach(site, stretch);
        continue;
      }
      const fn = resolveFunction(argument, stretch.file);
      if (fn) {
        follow({ fn, file: stretch.file }, argument, stretch);
        continue;
      }
      // `expired.forEach(onEvict)`: a caller's callback run over the evicted values.
      const slot = slotOf(argument, stretch.file);
      if (slot) {
        followSlot(slot, argument, stretch);
        continue;
      }
      const imported = crossFile?.referencedFunction(argument, stretch.file);
      if (imported) follow(imported, argument, stretch);
      else {
        const helper = closerHelperReference(argument, settings, stretch.file);
        if (helper) reach(helper, stretch);
      }
    }
  };

  const handleCall = (call: TSESTree.CallExpression, stretch: Stretch): void => {
    const meaning = classifyCall(call, settings, stretch.file, stretch.thisIsValue);
    const callee = unwrap(call.callee);
    if (meaning.kind === 'close' && !(meaning.site.byName && crossFile)) {
      reach(meaning.site, stretch);
      return;
    }
    if (meaning.kind === 'shutdown') return;
    if (meaning.kind === 'helper') {
      // `this.x()` inside a method of the value's class is still the value's own method.
      const onThisValue = stretch.thisIsValue && callee.type === 'MemberExpression' && isThis(callee.object);
      follow({ fn: meaning.fn, file: stretch.file }, call, stretch, 'callback', onThisValue);
    } else {
      // `this.onEvict(k, v)`, `options.onDelete?.(v)`: whatever callers handed in runs here.
      const slot = slotOf(callee, stretch.file);
      if (slot) followSlot(slot, call, stretch);
      // Through types: an imported function (`finish(client)`), or a method of the value's own
      // class (`conn.retire()`), judged by its body rather than its name.
      const target = crossFile?.calledFunction(call, stretch.file);
      if (target) follow(target, call, stretch, calleeName(call), callee.type === 'MemberExpression' && !isThis(callee.object));
      else if (meaning.kind === 'close') reach(meaning.site, stretch);
    }
    if (runsCallbacks(call)) handleCallbacks(call, stretch);
    if (meaning.kind === 'other' && callee.type === 'MemberExpression' && memberName(callee) === 'abort') followAbort(call, callee.object, stretch);
    if (isFunction(callee)) walkFunction(callee, stretch);
  };

  const walkFunction = (fn: FunctionNode, stretch: Stretch): void => {
    walk(fn.body, stretch.file.visitorKeys, (node) => {
      // Other nested functions run only if something calls them; calls reach them through `follow`.
      if (isFunction(node)) return false;
      if (node.type === 'CallExpression') handleCall(node, stretch);
      else if (node.type === 'NewExpression' && runsCallbacks(node)) handleCallbacks(node, stretch);
      return undefined;
    });
  };

  walkFunction(path.fn, { boundary: path.fn, file: path.file, via: [], guarded: false, anchor: undefined, thisIsValue: false });
}

/** Reports each close an eviction path reaches to `onClose`. */
export function findClosesOnPath(
  path: EvictionPath,
  settings: Settings,
  crossFile: CrossFile | undefined,
  onClose: (reached: ReachedClose) => void,
): void {
  walkPath(path, settings, crossFile, { onClose });
}

/** The slots eviction paths call back through: the callbacks a caller hands in that run on eviction. */
export function slotsCalledOnEviction(paths: readonly EvictionPath[], settings: Settings, crossFile: CrossFile | undefined): Slot[] {
  const slots: Slot[] = [];
  for (const path of paths) walkPath(path, settings, crossFile, { onSlot: (slot) => slots.push(slot) });
  return slots;
}

const CREATING_CALL = /^(?:create|open|start|make|new|spawn|build|begin)|^timer$/u;

/**
 * Whether a constructor or factory call wraps a value that already existed: called on what the
 * function was handed (`cache.openOldest()`), or given a value read elsewhere
 * (`new Handle(cache.get(key))`, `new Handle(client)` with `client` a parameter).
 */
function wrapsExisting(init: TSESTree.CallExpression | TSESTree.NewExpression, fn: FunctionNode, file: FileView): boolean {
  const isParameter = (node: TSESTree.Node): boolean => node.type === 'Identifier' && isParameterOf(node, fn, file);
  const callee = unwrap(init.callee);
  if (callee.type === 'MemberExpression' && isParameter(unwrap(callee.object))) return true;
  return init.arguments.some((argument) => {
    const node = unwrap(argument);
    return node.type === 'CallExpression' || node.type === 'MemberExpression' || isParameter(node);
  });
}

/**
 * Whether `target` is a local the function created itself (`const span = tracer.startSpan()`,
 * `const s = fs.createWriteStream(…)`, `new Socket()`, `timer = metrics.timer()`): closing it is
 * cleanup, not eviction.
 */
function createdWithin(target: TSESTree.Node | undefined, fn: FunctionNode, file: FileView): boolean {
  const node = target && unwrap(target);
  if (node?.type !== 'Identifier') return false;
  const binding = resolveBinding(node, file);
  if (binding?.kind !== 'value' || !contains(fn, binding.init)) return false;
  let init = unwrap(binding.init);
  if (init.type === 'AwaitExpression') init = unwrap(init.argument);
  if (init.type !== 'NewExpression' && init.type !== 'CallExpression') return false;
  const name = init.type === 'CallExpression' ? calleeName(init) : undefined;
  if (init.type === 'CallExpression' && (name === undefined || !CREATING_CALL.test(name))) return false;
  return !wrapsExisting(init, fn, file);
}
