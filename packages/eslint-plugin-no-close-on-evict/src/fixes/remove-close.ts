import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/** A text edit: replace `range` with `text`. */
export interface Edit {
  range: TSESTree.Range;
  text: string;
}

type SourceText = Pick<TSESLint.SourceCode, 'getText'>;

/** Reads that change nothing: dropping them with the close loses no effect (`map.get(k)`, `isIdle(pool)`). */
const PURE_CALLS = new Set(['get', 'has', 'peek', 'at']);
const CHECK_NAME = /^(?:is|has|can)[A-Z_]/u;

/** Whether evaluating `node` may change anything, so a removal has to keep it. */
function hasEffects(node: TSESTree.Node): boolean {
  switch (node.type) {
    case 'Identifier':
    case 'Literal':
    case 'ThisExpression':
    case 'Super':
    case 'PrivateIdentifier':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return false;
    case 'TemplateLiteral':
      return node.expressions.some(hasEffects);
    case 'ArrayExpression':
      return node.elements.some((element) => element !== null && hasEffects(element));
    case 'SpreadElement':
      return hasEffects(node.argument);
    case 'MemberExpression':
      return hasEffects(node.object) || (node.computed && hasEffects(node.property));
    case 'ChainExpression':
    case 'TSNonNullExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
      return hasEffects(node.expression);
    case 'UnaryExpression':
      return node.operator === 'delete' || hasEffects(node.argument);
    case 'BinaryExpression':
    case 'LogicalExpression':
      return hasEffects(node.left) || hasEffects(node.right);
    case 'ConditionalExpression':
      return hasEffects(node.test) || hasEffects(node.consequent) || hasEffects(node.alternate);
    case 'CallExpression': {
      const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
      const name =
        callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : '';
      const pure = PURE_CALLS.has(name) || CHECK_NAME.test(name);
      return !pure || hasEffects(callee) || node.arguments.some(hasEffects);
    }
    default:
      return true;
  }
}

/** `.catch(() => {})`: swallows the close's rejection and does nothing else. */
function isEmptyCatch(call: TSESTree.CallExpression): boolean {
  const [handler] = call.arguments;
  if (call.arguments.length !== 1 || (handler?.type !== 'ArrowFunctionExpression' && handler?.type !== 'FunctionExpression')) return false;
  return handler.body.type === 'BlockStatement' ? handler.body.body.length === 0 : !hasEffects(handler.body);
}

/** The value a close is called on and its arguments: parts of the close itself, whose effects a removal must keep. */
function operands(close: TSESTree.Node): TSESTree.Node[] {
  if (close.type !== 'CallExpression') return [];
  const callee = close.callee.type === 'ChainExpression' ? close.callee.expression : close.callee;
  const receiver = callee.type === 'MemberExpression' ? [callee.object] : [];
  return [...receiver, ...close.arguments];
}

/**
 * The edit that removes a close and nothing else. Wrappers that only carry the close go with it
 * (`await`, `void`, `?.`, a `typeof` check before `&&`, `.catch(() => {})`); every other effect
 * stays: in `this.m.delete(k) && c.close()` the delete stays (`this.m.delete(k);`), in
 * `c.close().then(() => m.delete(k))` the callback still runs (`Promise.resolve().then(…)`), and
 * a receiver with effects stays (`this.takeOldest().close()` → `this.takeOldest();`). Undefined
 * when the close sits where no edit can remove it alone (an argument, a condition).
 */
export function removeClose(close: TSESTree.Node, source: SourceText): Edit | undefined {
  const kept = operands(close).filter(hasEffects);
  let current: TSESTree.Node = close;
  for (;;) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (
      parent.type === 'AwaitExpression' ||
      parent.type === 'ChainExpression' ||
      parent.type === 'TSNonNullExpression' ||
      (parent.type === 'UnaryExpression' && parent.operator === 'void')
    ) {
      current = parent;
      continue;
    }
    if (parent.type === 'LogicalExpression' && parent.right === current) {
      // `typeof v.close === 'function' && v.close()`: the check goes too; `m.delete(k) && c.close()` keeps the delete.
      if (hasEffects(parent.left)) kept.unshift(parent.left);
      current = parent;
      continue;
    }
    if (parent.type === 'MemberExpression' && parent.object === current && parent.parent.type === 'CallExpression' && parent.parent.callee === parent) {
      const chained = parent.parent;
      if (isEmptyCatch(chained)) {
        current = chained;
        continue;
      }
      // `c.close().then(() => m.delete(k))`: the callback's effects stay, on a promise that does not close.
      if (kept.length > 0) return undefined;
      return { range: current.range, text: 'Promise.resolve()' };
    }
    if (parent.type === 'ExpressionStatement') {
      const inList = parent.parent.type === 'BlockStatement' || parent.parent.type === 'Program' || parent.parent.type === 'SwitchCase';
      const statements = kept.map((node) => `${source.getText(node)};`).join(' ');
      return { range: parent.range, text: statements || (inList ? '' : '{}') };
    }
    if (parent.type === 'ArrowFunctionExpression' && parent.body === current) {
      if (kept.length === 0) return { range: current.range, text: '{}' };
      return kept.length === 1 ? { range: current.range, text: wrapForArrowBody(source.getText(kept[0]!), kept[0]!) } : undefined;
    }
    return undefined;
  }
}

/** An arrow body expression that would read as a block or a sequence needs parentheses. */
function wrapForArrowBody(text: string, node: TSESTree.Node): string {
  return node.type === 'ObjectExpression' || node.type === 'SequenceExpression' ? `(${text})` : text;
}
