import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { Settings } from '../options.js';
import type { FunctionNode } from './ast.js';

import { isThis, memberName, unwrap } from './ast.js';
import { matchesAny } from '../options.js';
import { possibleKeys, resolveBinding, resolveFunction } from './references.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** A place where a value gets closed. */
export interface CloseSite {
  /** The node reported: a call, or a closing method handed to a scheduler by reference. */
  node: TSESTree.Node;
  /** How the close reads in a report: `client.close()`, `closeQuietly(…)`. */
  label: string;
  /** The value being closed, when the code names it. */
  target: TSESTree.Node | undefined;
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
  sourceCode: SourceCode,
  aliasDepth = 0,
): TSESTree.Node | null | undefined {
  const node = unwrap(expression);
  switch (node.type) {
    case 'MemberExpression':
      return namesClosingMethod(node, settings, sourceCode) && !isThis(node.object) ? node.object : undefined;
    case 'LogicalExpression':
      return (
        closingReferenceTarget(node.left, settings, sourceCode, aliasDepth) ??
        closingReferenceTarget(node.right, settings, sourceCode, aliasDepth)
      );
    case 'ConditionalExpression':
      return (
        closingReferenceTarget(node.consequent, settings, sourceCode, aliasDepth) ??
        closingReferenceTarget(node.alternate, settings, sourceCode, aliasDepth)
      );
    case 'CallExpression': {
      const callee = unwrap(node.callee);
      return callee.type === 'MemberExpression' && memberName(callee) === 'bind'
        ? closingReferenceTarget(callee.object, settings, sourceCode, aliasDepth)
        : undefined;
    }
    case 'Identifier': {
      if (aliasDepth > 1) return undefined;
      const binding = resolveBinding(node, sourceCode);
      if (binding?.kind === 'value') return closingReferenceTarget(binding.init, settings, sourceCode, aliasDepth + 1);
      if (binding?.kind === 'destructured' && binding.key && settings.closingMethods.has(binding.key)) {
        return binding.source;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `v.close`, `v['close']`, or `v[method]` with `method` a const or loop variable that may be `close`. */
function namesClosingMethod(member: TSESTree.MemberExpression, settings: Settings, sourceCode: SourceCode): boolean {
  const name = memberName(member);
  if (name !== undefined) return settings.closingMethods.has(name);
  return member.computed && possibleKeys(member.property, sourceCode).some((key) => settings.closingMethods.has(key));
}

function isCloserHelper(name: string, call: TSESTree.CallExpression, settings: Settings): boolean {
  return call.arguments.length > 0 && matchesAny(settings.closerHelpers, name);
}

/** `ws.close(4001, 'expired')`: a close code tells the peer its session ended; that socket is the peer's alone. */
function sendsCloseCode(call: TSESTree.CallExpression): boolean {
  const code = call.arguments[0];
  return code?.type === 'Literal' && typeof code.value === 'number';
}

/** Classifies a call found on an eviction path. */
export function classifyCall(call: TSESTree.CallExpression, settings: Settings, sourceCode: SourceCode): CallMeaning {
  const callee = unwrap(call.callee);
  const text = (node: TSESTree.Node, suffix: string): string => label(sourceCode.getText(node), suffix);
  const close = (target: TSESTree.Node | null | undefined, suffix = '()', named: TSESTree.Node = callee): CallMeaning => ({
    kind: 'close',
    site: { node: call, label: text(named, suffix), target: target ?? undefined },
  });

  // A helper defined here is judged by its body (a lease check inside `maybeClose` counts); only a
  // helper from elsewhere is judged by its name.
  const helperOrCloser = (name: string): CallMeaning => {
    const fn = resolveFunction(callee, sourceCode);
    if (fn) return { kind: 'helper', fn };
    return isCloserHelper(name, call, settings) ? close(call.arguments[0], '(…)') : OTHER;
  };

  if (callee.type === 'MemberExpression') {
    const name = memberName(callee);
    if (name === undefined) {
      const closes = namesClosingMethod(callee, settings, sourceCode) && !isThis(callee.object) && !sendsCloseCode(call);
      return closes ? close(callee.object) : OTHER;
    }
    if (name === 'call' || name === 'apply') {
      const target = closingReferenceTarget(callee.object, settings, sourceCode);
      return target === undefined ? OTHER : close(target, `.${name}()`, callee.object);
    }
    if (isThis(callee.object)) {
      // The cache's own teardown (`this.dispose()`, `this.close()`), not a client it holds.
      const teardown = settings.shutdownNames.has(name) || settings.closingMethods.has(name);
      return teardown && call.arguments.length === 0 ? SHUTDOWN : helperOrCloser(name);
    }
    if (settings.closingMethods.has(name)) return sendsCloseCode(call) ? OTHER : close(callee.object);
    return isCloserHelper(name, call, settings) ? close(call.arguments[0], '(…)') : OTHER;
  }

  if (callee.type === 'Identifier') {
    const aliased = closingReferenceTarget(callee, settings, sourceCode);
    if (aliased !== undefined) return close(aliased);
    if (settings.shutdownNames.has(callee.name) && call.arguments.length === 0) return SHUTDOWN;
    return helperOrCloser(callee.name);
  }

  // `v.close.bind(v)()`
  const target = closingReferenceTarget(callee, settings, sourceCode);
  return target === undefined ? OTHER : close(target);
}

/** A closing method handed over by reference (`setTimeout(client.close.bind(client))`). */
export function closingReferenceSite(
  expression: TSESTree.Node,
  settings: Settings,
  sourceCode: SourceCode,
): CloseSite | undefined {
  const target = closingReferenceTarget(expression, settings, sourceCode);
  if (target === undefined) return undefined;
  return { node: expression, label: label(sourceCode.getText(expression), ''), target: target ?? undefined };
}

/**
 * A closer helper from elsewhere handed over by reference (`setTimeout(closeQuietly, 0, c)`,
 * `clients.forEach(safeClose)`); the caller follows same-file functions first.
 */
export function closerHelperReference(
  expression: TSESTree.Node,
  settings: Settings,
  sourceCode: SourceCode,
): CloseSite | undefined {
  const node = unwrap(expression);
  let name: string | undefined;
  if (node.type === 'Identifier') name = node.name;
  else if (node.type === 'MemberExpression' && !isThis(node.object)) name = memberName(node);
  if (name === undefined || settings.shutdownNames.has(name) || !matchesAny(settings.closerHelpers, name)) return undefined;
  return { node: expression, label: label(sourceCode.getText(expression), ''), target: undefined };
}
