import type { TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FileView } from './file-view.js';
import type { Settings } from './settings.js';

import { contains, isFunction, memberName, unwrap } from './ast.js';

/** What a condition says about the client when it holds, and when it does not. */
type State = 'busy' | 'free' | undefined;
interface Reading {
  whenTrue: State;
  whenFalse: State;
}

const UNKNOWN: Reading = { whenTrue: undefined, whenFalse: undefined };
const BUSY: Reading = { whenTrue: 'busy', whenFalse: 'free' };
const FREE: Reading = { whenTrue: 'free', whenFalse: 'busy' };
const flip = (reading: Reading): Reading => ({ whenTrue: reading.whenFalse, whenFalse: reading.whenTrue });

/** `idle`, `isIdle()`, `idleCount` say "free" when true; `busy`, `refCount`, `leases` say "busy". */
const FREE_NAME = /idle/iu;

/** Both sides hold: either side's meaning holds (a contradiction tells nothing). */
const both = (a: State, b: State): State => (a === undefined ? b : b === undefined || a === b ? a : undefined);
/** One side holds, unknown which: only a meaning both sides share holds. */
const either = (a: State, b: State): State => (a === b ? a : undefined);

/** The in-use name a value reads: `entry.refCount`, `isIdle(pool)`, `this.active.size`'s `active`. */
function guardName(node: TSESTree.Node, settings: Settings): string | undefined {
  let current = unwrap(node);
  if (current.type === 'CallExpression') current = unwrap(current.callee);
  for (;;) {
    if (current.type === 'Identifier' || current.type === 'PrivateIdentifier') {
      return settings.isInUseGuard(current.name) ? current.name : undefined;
    }
    if (current.type !== 'MemberExpression') return undefined;
    const name = memberName(current);
    if (name !== undefined && settings.isInUseGuard(name)) return name;
    current = unwrap(current.object);
  }
}

function isZero(node: TSESTree.Node): boolean {
  return node.type === 'Literal' && node.value === 0;
}

/** `refCount > 0`, `activeCount === 0`, `idleCount === totalCount`. */
function readComparison(test: TSESTree.BinaryExpression, settings: Settings): Reading {
  const leftName = test.left.type === 'PrivateIdentifier' ? undefined : guardName(test.left, settings);
  const name = leftName ?? guardName(test.right, settings);
  if (name === undefined) return UNKNOWN;
  const atom = FREE_NAME.test(name) ? FREE : BUSY;
  const other = leftName === undefined ? test.left : test.right;
  // Normalise to `name <op> other`.
  const mirrored: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
  const operator = leftName === undefined ? (mirrored[test.operator] ?? test.operator) : test.operator;
  if (isZero(other)) {
    if (operator === '===' || operator === '==' || operator === '<=') return flip(atom);
    if (operator === '!==' || operator === '!=' || operator === '>') return atom;
    return UNKNOWN;
  }
  // Equal to or above some other count: the named state holds (`idleCount === totalCount`).
  if (operator === '===' || operator === '==' || operator === '>' || operator === '>=') {
    return { whenTrue: atom.whenTrue, whenFalse: undefined };
  }
  return UNKNOWN;
}

/** What a condition says about the client being in use, read through `!`, `&&`, `||` and comparisons. */
function read(test: TSESTree.Node, settings: Settings): Reading {
  const node = unwrap(test);
  switch (node.type) {
    case 'UnaryExpression':
      return node.operator === '!' ? flip(read(node.argument, settings)) : UNKNOWN;
    case 'LogicalExpression': {
      const left = read(node.left, settings);
      const right = read(node.right, settings);
      if (node.operator === '&&') {
        return { whenTrue: both(left.whenTrue, right.whenTrue), whenFalse: either(left.whenFalse, right.whenFalse) };
      }
      if (node.operator === '||') {
        return { whenTrue: either(left.whenTrue, right.whenTrue), whenFalse: both(left.whenFalse, right.whenFalse) };
      }
      return UNKNOWN;
    }
    case 'BinaryExpression':
      return readComparison(node, settings);
    default: {
      const name = guardName(node, settings);
      if (name === undefined) return UNKNOWN;
      return FREE_NAME.test(name) ? FREE : BUSY;
    }
  }
}

function exits(statement: TSESTree.Statement): boolean {
  switch (statement.type) {
    case 'ReturnStatement':
    case 'ContinueStatement':
    case 'BreakStatement':
    case 'ThrowStatement':
      return true;
    case 'BlockStatement': {
      const last = statement.body.at(-1);
      return last !== undefined && exits(last);
    }
    default:
      return false;
  }
}

/** `if (pool.activeCount > 0) return;` placed before `node` in the same statement list: what follows runs only when free. */
function hasEarlyExitGuard(statements: readonly TSESTree.Node[], node: TSESTree.Node, settings: Settings): boolean {
  for (const statement of statements) {
    if (statement === node) return false;
    if (statement.type === 'IfStatement' && exits(statement.consequent) && read(statement.test, settings).whenFalse === 'free') {
      return true;
    }
  }
  return false;
}

/**
 * Whether `node` only runs while the client is not in use, by a check placed between it and
 * `boundary` (the function where this stretch of the eviction path starts): the branch of an
 * enclosing `if`, `?:`, `&&` or `||` taken when the check says idle, or after an early
 * `return`/`continue` taken when it says busy. A check read the other way round (closing when
 * `refCount > 0`) guards nothing.
 */
export function isBehindInUseGuard(node: TSESTree.Node, boundary: TSESTree.Node, settings: Settings): boolean {
  let child = node;
  for (let parent = node.parent; parent && child !== boundary; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'IfStatement':
      case 'ConditionalExpression':
        if (child === parent.consequent && read(parent.test, settings).whenTrue === 'free') return true;
        if (child === parent.alternate && read(parent.test, settings).whenFalse === 'free') return true;
        break;
      case 'LogicalExpression':
        if (child !== parent.right) break;
        if (parent.operator === '&&' && read(parent.left, settings).whenTrue === 'free') return true;
        if (parent.operator === '||' && read(parent.left, settings).whenFalse === 'free') return true;
        break;
      case 'BlockStatement':
      case 'StaticBlock':
      case 'Program':
        if (hasEarlyExitGuard(parent.body, child, settings)) return true;
        break;
      case 'SwitchCase':
        if (hasEarlyExitGuard(parent.consequent, child, settings)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** The variable a closed value hangs off: `victim` in `victim.client.close()`. */
function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let current = unwrap(node);
  while (current.type === 'MemberExpression') current = unwrap(current.object);
  return current.type === 'Identifier' ? current : undefined;
}

/** `entries.find((e) => e.refCount === 0)`, `list.filter((c) => !c.busy)`: a pick among free entries. */
function picksFree(node: TSESTree.Node, settings: Settings): boolean {
  const call = unwrap(node);
  if (call.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return false;
  const method = memberName(call.callee);
  if (method !== 'find' && method !== 'filter' && method !== 'findLast') {
    // `list.filter(isFree).slice(0, n)`, `[...pool.values()].find(…)!`: a pick further down the chain.
    return call.callee.object.type === 'CallExpression' && picksFree(call.callee.object, settings);
  }
  const predicate = call.arguments[0];
  if (!isFunction(predicate)) return false;
  let result: TSESTree.Node | undefined;
  if (predicate.body.type !== 'BlockStatement') result = predicate.body;
  else {
    const only = predicate.body.body.length === 1 ? predicate.body.body[0] : undefined;
    result = only?.type === 'ReturnStatement' ? (only.argument ?? undefined) : undefined;
  }
  return result !== undefined && read(result, settings).whenTrue === 'free';
}

/**
 * Whether the value closed was picked among entries not in use: a victim-selection loop that
 * skips busy entries (`if (e.refCount > 0) continue; victim = e;`) before closing the victim, or
 * a `find` / `filter` whose predicate says free, also as a loop's list. Every value the variable
 * is given must be such a pick.
 */
export function isChosenWhileFree(target: TSESTree.Node | undefined, boundary: TSESTree.Node, settings: Settings, file: FileView): boolean {
  const root = target && rootIdentifier(target);
  const variable = root && findVariable(file.getScope(root), root);
  if (!variable || !contains(boundary, variable.defs[0]?.name ?? boundary)) return false;
  const declarator = variable.defs[0]?.node;
  const loop = declarator?.type === 'VariableDeclarator' ? declarator.parent.parent : undefined;
  if (loop?.type === 'ForOfStatement' && loop.left === declarator?.parent) return picksFree(loop.right, settings);
  let picks = 0;
  for (const reference of variable.references) {
    if (!reference.isWrite()) continue;
    const value = reference.writeExpr;
    // `let victim;` and `victim = undefined` give it nothing to close.
    if (!value || (value.type === 'Identifier' && value.name === 'undefined') || (value.type === 'Literal' && value.value === null)) continue;
    if (!picksFree(value, settings) && !isBehindInUseGuard(reference.identifier, boundary, settings)) return false;
    picks += 1;
  }
  return picks > 0;
}
