import type { TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FunctionNode } from './ast.js';
import type { FileView } from './file-view.js';
import type { Settings } from './settings.js';

import { isThis, memberName, unwrap } from './ast.js';
import { possibleKeys, resolveBinding, resolveFunction } from './references.js';

/** A place where a value gets closed. */
export interface CloseSite {
  /** The node reported: a call, or a closing method handed to a scheduler by reference. */
  node: TSESTree.Node;
  /** How the close reads in a report: `client.close()`, `closeQuietly(…)`. */
  label: string;
  /** The value being closed, when the code names it. */
  target: TSESTree.Node | undefined;
  /** Judged by a name alone (`closeQuietly(c)` from elsewhere, `worker.stop()`): type information may find the body. */
  byName?: boolean;
}

/** What a call means for an eviction path. */
export type CallMeaning =
  | { kind: 'close'; site: CloseSite }
  /** The cache tearing itself down (`this.shutdown()`, `closeAll()`): neither a close nor a path to follow. */
  | { kind: 'shutdown' }
  /** A function of this file or a member of `this`: its body decides, so it is followed rather than judged by name. */
  | { kind: 'helper'; fn: FunctionNode }
  | { kind: 'other' };

const OTHER: CallMeaning = { kind: 'other' };
const SHUTDOWN: CallMeaning = { kind: 'shutdown' };
const MAX_LABEL = 48;

function label(text: string, suffix: string): string {
  const short = text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
  return `${short.replace(/\s+/gu, ' ')}${suffix}`;
}

/**
 * If `expression` denotes a closing method of some value (`v.close`, `v.close.bind(v)`,
 * `v.aclose ?? v.close`, or a const/destructured alias of one), returns that value's node
 * (`null` when the value is not visible, as in `const { close } = make()`).
 */
function closingReferenceTarget(
  expression: TSESTree.Node,
  settings: Settings,
  file: FileView,
  aliasDepth = 0,
): TSESTree.Node | null | undefined {
  const node = unwrap(expression);
  switch (node.type) {
    case 'MemberExpression':
      return namesClosingMethod(node, settings, file) && !isThis(node.object) ? node.object : undefined;
    case 'LogicalExpression':
      return (
        closingReferenceTarget(node.left, settings, file, aliasDepth) ??
        closingReferenceTarget(node.right, settings, file, aliasDepth)
      );
    case 'ConditionalExpression':
      return (
        closingReferenceTarget(node.consequent, settings, file, aliasDepth) ??
        closingReferenceTarget(node.alternate, settings, file, aliasDepth)
      );
    case 'CallExpression': {
      const callee = unwrap(node.callee);
      return callee.type === 'MemberExpression' && memberName(callee) === 'bind'
        ? closingReferenceTarget(callee.object, settings, file, aliasDepth)
        : undefined;
    }
    case 'Identifier': {
      if (aliasDepth > 1) return undefined;
      const binding = resolveBinding(node, file);
      if (binding?.kind === 'value') return closingReferenceTarget(binding.init, settings, file, aliasDepth + 1);
      if (binding?.kind === 'destructured' && binding.key && settings.isClosingMethod(binding.key)) {
        return binding.source;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `v.close`, `v['close']`, or `v[method]` with `method` a const or loop variable that may be `close`. */
function namesClosingMethod(member: TSESTree.MemberExpression, settings: Settings, file: FileView): boolean {
  const name = memberName(member);
  if (name !== undefined) return settings.isClosingMethod(name);
  return member.computed && possibleKeys(member.property, file).some(settings.isClosingMethod);
}

function isCloserHelper(name: string, call: TSESTree.CallExpression, settings: Settings): boolean {
  return call.arguments.length > 0 && settings.isCloserHelper(name);
}

/** `ws.close(4001, 'expired')`: a close code tells the peer its session ended; that socket is the peer's alone. */
function sendsCloseCode(call: TSESTree.CallExpression): boolean {
  const code = call.arguments[0];
  return code?.type === 'Literal' && typeof code.value === 'number';
}

/**
 * `worker` in `worker.kill()` when it is the evicted value itself: a parameter or local of a
 * function (the eviction path's value, a loop variable over evicted entries), not something it
 * owns (`entry.heartbeat`) nor a module-level singleton.
 */
function isLocalValue(receiver: TSESTree.Node, file: FileView): boolean {
  const node = unwrap(receiver);
  if (node.type !== 'Identifier') return false;
  const variable = findVariable(file.getScope(node), node);
  return variable?.scope.variableScope.type === 'function';
}

/**
 * Classifies a call found on an eviction path. `thisIsValue` is set inside a method of the
 * evicted value's own class (reached through types, `conn.retire()`): there `this.close()` closes
 * the value rather than being the cache's own teardown.
 */
export function classifyCall(call: TSESTree.CallExpression, settings: Settings, file: FileView, thisIsValue = false): CallMeaning {
  const callee = unwrap(call.callee);
  const text = (node: TSESTree.Node, suffix: string): string => label(file.getText(node), suffix);
  const close = (target: TSESTree.Node | null | undefined, suffix = '()', named: TSESTree.Node = callee, byName = false): CallMeaning => ({
    kind: 'close',
    site: { node: call, label: text(named, suffix), target: target ?? undefined, ...(byName ? { byName } : {}) },
  });
  const closerByName = (name: string): CallMeaning => (isCloserHelper(name, call, settings) ? close(call.arguments[0], '(…)', callee, true) : OTHER);

  // A helper defined here is judged by its body (a lease check inside `maybeClose` counts); only a
  // helper from elsewhere is judged by its name.
  const helperOrCloser = (name: string): CallMeaning => {
    const fn = resolveFunction(callee, file);
    return fn ? { kind: 'helper', fn } : closerByName(name);
  };

  if (callee.type === 'MemberExpression') {
    const name = memberName(callee);
    const onThis = isThis(callee.object);
    if (name === undefined) {
      const closes = namesClosingMethod(callee, settings, file) && (!onThis || thisIsValue) && !sendsCloseCode(call);
      return closes ? close(callee.object) : OTHER;
    }
    if (name === 'call' || name === 'apply') {
      const target = closingReferenceTarget(callee.object, settings, file);
      return target === undefined ? OTHER : close(target, `.${name}()`, callee.object);
    }
    if (onThis && thisIsValue && (settings.isClosingMethod(name) || settings.isValueClosingMethod(name))) return close(callee.object);
    if (onThis) {
      // The cache's own teardown (`this.dispose()`, `this.close()`), not a client it holds.
      return settings.isShutdownName(name) && call.arguments.length === 0 ? SHUTDOWN : helperOrCloser(name);
    }
    if (settings.isClosingMethod(name)) return sendsCloseCode(call) ? OTHER : close(callee.object);
    // `stop` and `kill` say less than `close`: with types, the method's body decides.
    if (settings.isValueClosingMethod(name) && isLocalValue(callee.object, file)) return close(callee.object, '()', callee, true);
    return closerByName(name);
  }

  if (callee.type === 'Identifier') {
    const aliased = closingReferenceTarget(callee, settings, file);
    if (aliased !== undefined) return close(aliased);
    if (settings.isShutdownName(callee.name) && call.arguments.length === 0) return SHUTDOWN;
    return helperOrCloser(callee.name);
  }

  // `v.close.bind(v)()`
  const target = closingReferenceTarget(callee, settings, file);
  return target === undefined ? OTHER : close(target);
}

/** A closing method handed over by reference (`setTimeout(client.close.bind(client))`). */
export function closingReferenceSite(
  expression: TSESTree.Node,
  settings: Settings,
  file: FileView,
): CloseSite | undefined {
  const target = closingReferenceTarget(expression, settings, file);
  if (target === undefined) return undefined;
  return { node: expression, label: label(file.getText(expression), ''), target: target ?? undefined };
}

/**
 * A closer helper from elsewhere handed over by reference (`setTimeout(closeQuietly, 0, c)`,
 * `clients.forEach(safeClose)`); the caller follows same-file functions first.
 */
export function closerHelperReference(
  expression: TSESTree.Node,
  settings: Settings,
  file: FileView,
): CloseSite | undefined {
  const node = unwrap(expression);
  let name: string | undefined;
  if (node.type === 'Identifier') name = node.name;
  else if (node.type === 'MemberExpression' && !isThis(node.object)) name = memberName(node);
  if (name === undefined || settings.isShutdownName(name) || !settings.isCloserHelper(name)) return undefined;
  return { node: expression, label: label(file.getText(expression), ''), target: undefined, byName: true };
}
