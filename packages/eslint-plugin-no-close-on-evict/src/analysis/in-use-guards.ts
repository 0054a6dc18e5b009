import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { Settings } from '../options.js';

import { isFunction, walk } from './ast.js';
import { matchesAny } from '../options.js';

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];

/** Whether a condition reads anything named like an in-use check (`refCount`, `isIdle()`, `lease`). */
function mentionsInUse(condition: TSESTree.Node, settings: Settings, visitorKeys: VisitorKeys): boolean {
  let found = false;
  walk(condition, visitorKeys, (node) => {
    if (found || isFunction(node)) return false;
    if ((node.type === 'Identifier' || node.type === 'PrivateIdentifier') && matchesAny(settings.inUseGuards, node.name)) {
      found = true;
    }
    return undefined;
  });
  return found;
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

/** `if (pool.activeCount > 0) return;` placed before `node` in the same statement list. */
function hasEarlyExitGuard(
  statements: readonly TSESTree.Node[],
  node: TSESTree.Node,
  settings: Settings,
  visitorKeys: VisitorKeys,
): boolean {
  for (const statement of statements) {
    if (statement === node) return false;
    if (statement.type === 'IfStatement' && exits(statement.consequent) && mentionsInUse(statement.test, settings, visitorKeys)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether `node` only runs behind an in-use check placed between it and `boundary` (the function
 * where this stretch of the eviction path starts): an enclosing `if`, `?:` or `&&`, or an early
 * `return`/`continue` guard before it.
 */
export function isBehindInUseGuard(
  node: TSESTree.Node,
  boundary: TSESTree.Node,
  settings: Settings,
  visitorKeys: VisitorKeys,
): boolean {
  let child = node;
  for (let parent = node.parent; parent && child !== boundary; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'IfStatement':
      case 'ConditionalExpression':
        if (child !== parent.test && mentionsInUse(parent.test, settings, visitorKeys)) return true;
        break;
      case 'LogicalExpression':
        if (child === parent.right && mentionsInUse(parent.left, settings, visitorKeys)) return true;
        break;
      case 'BlockStatement':
      case 'StaticBlock':
      case 'Program':
        if (hasEarlyExitGuard(parent.body, child, settings, visitorKeys)) return true;
        break;
      case 'SwitchCase':
        if (hasEarlyExitGuard(parent.consequent, child, settings, visitorKeys)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}
