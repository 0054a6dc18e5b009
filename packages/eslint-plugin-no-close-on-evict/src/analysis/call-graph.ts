import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { Settings } from '../options.js';
import type { FunctionNode } from './ast.js';
import type { CloseSite } from './closing-calls.js';

import { calleeName, contains, functionName, isFunction, memberName, unwrap, walk } from './ast.js';
import { classifyCall, closerHelperReference, closingReferenceSite } from './closing-calls.js';
import { isBehindInUseGuard } from './in-use-guards.js';
import type { Registration } from './references.js';

import { eventListeners, isParameterOf, resolveBinding, resolveFunction } from './references.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** A close reached from an eviction path. */
export interface ReachedClose {
  site: CloseSite;
  /** Names of the same-file functions the path went through, outermost first. */
  via: readonly string[];
  /** Whether an in-use check stands between the eviction path and the close. */
  guarded: boolean;
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

interface Stretch {
  /** Where this stretch of the path starts: in-use guards are looked for up to here. */
  boundary: FunctionNode;
  via: readonly string[];
  guarded: boolean;
}

/**
 * Walks everything an eviction path runs in this file: its own body, callbacks it defers or
 * iterates with, `this.x()` / same-file functions it calls, and the 'abort' listeners of what it
 * aborts (tied by name, see `followAbort`), up to `settings.maxDepth` calls deep.
 */
export function findClosesOnPath(
  root: FunctionNode,
  settings: Settings,
  sourceCode: SourceCode,
  onClose: (reached: ReachedClose) => void,
): void {
  const visited = new Set<FunctionNode>([root]);
  const visitorKeys = sourceCode.visitorKeys;

  const guardedAt = (node: TSESTree.Node, stretch: Stretch): boolean =>
    stretch.guarded || isBehindInUseGuard(node, stretch.boundary, settings);

  const reach = (site: CloseSite, stretch: Stretch): void => {
    if (createdWithin(site.target, stretch.boundary, sourceCode)) return;
    onClose({ site, via: stretch.via, guarded: guardedAt(site.node, stretch) });
  };

  const follow = (target: FunctionNode | undefined, callSite: TSESTree.Node, stretch: Stretch, anonymous = 'callback'): void => {
    if (!target || visited.has(target) || stretch.via.length >= settings.maxDepth) return;
    visited.add(target);
    walkFunction(target, {
      boundary: target,
      via: [...stretch.via, functionName(target) ?? anonymous],
      guarded: guardedAt(callSite, stretch),
    });
  };

  // `entry.controller.abort()` runs what this file registered for 'abort' on that controller (a
  // pool's `end`, say). Listeners are tied to the aborted value by name (`controller` for
  // `controller.signal`); when either side has no name, the listener is followed.
  let abortRegistrations: Registration[] | undefined;
  const followAbort = (call: TSESTree.CallExpression, aborted: TSESTree.Node, stretch: Stretch): void => {
    abortRegistrations ??= eventListeners(sourceCode.ast, sourceCode, ABORT_EVENTS, { eventTarget: true });
    const abortedName = valueName(aborted);
    const listening: Stretch = { ...stretch, via: [...stretch.via, "'abort' listener"] };
    for (const { handler, receiver } of abortRegistrations) {
      const receiverName = receiver && signalOwner(receiver);
      if (abortedName !== undefined && receiverName !== undefined && abortedName !== receiverName) continue;
      const fn = resolveFunction(handler, sourceCode);
      if (fn) follow(fn, call, stretch, "'abort' listener");
      else {
        // `signal.addEventListener('abort', pool.end.bind(pool))`
        const site = closingReferenceSite(handler, settings, sourceCode);
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
      const site = closingReferenceSite(argument, settings, sourceCode);
      if (site) {
        reach(site, stretch);
        continue;
      }
      const fn = resolveFunction(argument, sourceCode);
      if (fn) follow(fn, argument, stretch);
      else {
        const helper = closerHelperReference(argument, settings, sourceCode);
        if (helper) reach(helper, stretch);
      }
    }
  };

  const handleCall = (call: TSESTree.CallExpression, stretch: Stretch): void => {
    const meaning = classifyCall(call, settings, sourceCode);
    if (meaning.kind === 'close') {
      reach(meaning.site, stretch);
      return;
    }
    if (meaning.kind === 'shutdown') return;
    if (meaning.kind === 'helper') follow(meaning.fn, call, stretch);
    if (runsCallbacks(call)) handleCallbacks(call, stretch);
    const callee = unwrap(call.callee);
    if (meaning.kind === 'other' && callee.type === 'MemberExpression' && memberName(callee) === 'abort') followAbort(call, callee.object, stretch);
    if (isFunction(callee)) walkFunction(callee, stretch);
  };

  const walkFunction = (fn: FunctionNode, stretch: Stretch): void => {
    walk(fn.body, visitorKeys, (node) => {
      // Other nested functions run only if something calls them; calls reach them through `follow`.
      if (isFunction(node)) return false;
      if (node.type === 'CallExpression') handleCall(node, stretch);
      else if (node.type === 'NewExpression' && runsCallbacks(node)) handleCallbacks(node, stretch);
      return undefined;
    });
  };

  walkFunction(root, { boundary: root, via: [], guarded: false });
}

const CREATING_CALL = /^(?:create|open|start|make|new|spawn|build|begin)|^timer$/u;

/**
 * Whether a constructor or factory call wraps a value that already existed: called on what the
 * function was handed (`cache.openOldest()`), or given a value read elsewhere
 * (`new Handle(cache.get(key))`, `new Handle(client)` with `client` a parameter).
 */
function wrapsExisting(init: TSESTree.CallExpression | TSESTree.NewExpression, fn: FunctionNode, sourceCode: SourceCode): boolean {
  const isParameter = (node: TSESTree.Node): boolean => node.type === 'Identifier' && isParameterOf(node, fn, sourceCode);
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
function createdWithin(target: TSESTree.Node | undefined, fn: FunctionNode, sourceCode: SourceCode): boolean {
  const node = target && unwrap(target);
  if (node?.type !== 'Identifier') return false;
  const binding = resolveBinding(node, sourceCode);
  if (binding?.kind !== 'value' || !contains(fn, binding.init)) return false;
  let init = unwrap(binding.init);
  if (init.type === 'AwaitExpression') init = unwrap(init.argument);
  if (init.type !== 'NewExpression' && init.type !== 'CallExpression') return false;
  const name = init.type === 'CallExpression' ? calleeName(init) : undefined;
  if (init.type === 'CallExpression' && (name === undefined || !CREATING_CALL.test(name))) return false;
  return !wrapsExisting(init, fn, sourceCode);
}
