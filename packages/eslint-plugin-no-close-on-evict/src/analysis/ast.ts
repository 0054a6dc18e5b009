import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

type VisitorKeys = TSESLint.SourceCode['visitorKeys'];

/** Type-only children: nothing runs there. */
const TYPE_KEYS = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);

/**
 * Visits `root` and its descendants depth-first, skipping type annotations; children of a node
 * are skipped when `visit` returns `false`. Used on demand, for the few functions that matter.
 */
export function walk(root: TSESTree.Node, visitorKeys: VisitorKeys, visit: (node: TSESTree.Node) => boolean | void): void {
  const pending: TSESTree.Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (visit(node) === false) continue;
    for (const key of visitorKeys[node.type] ?? []) {
      if (TYPE_KEYS.has(key)) continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (let index = child.length - 1; index >= 0; index -= 1) {
          const item = child[index] as TSESTree.Node | null;
          if (item) pending.push(item);
        }
      } else if (child && typeof child === 'object') {
        pending.push(child as TSESTree.Node);
      }
    }
  }
}

export type FunctionNode =
  | TSESTree.ArrowFunctionExpression
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression;

export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === 'ArrowFunctionExpression' ||
    node?.type === 'FunctionDeclaration' ||
    node?.type === 'FunctionExpression'
  );
}

/** Strips wrappers that do not change which value an expression denotes (`x!`, `x as T`, `a?.b`). */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case 'ChainExpression':
        current = current.expression;
        break;
      case 'TSNonNullExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** Name of a property key: `close`, `#close`'s `close`, `['close']`, or `[Symbol.dispose]`. */
export function keyName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (!computed) {
    if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return key.name;
    if (key.type === 'Literal') return String(key.value);
    return undefined;
  }
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  if (
    key.type === 'MemberExpression' &&
    !key.computed &&
    key.object.type === 'Identifier' &&
    key.object.name === 'Symbol' &&
    key.property.type === 'Identifier'
  ) {
    return `[Symbol.${key.property.name}]`;
  }
  return undefined;
}

/** Property name read by a member expression, if it is static. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  return keyName(node.property, node.computed);
}

/** Name a call invokes: `foo` for `foo()`, `bar` for `x.bar()`. */
export function calleeName(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') return memberName(callee);
  return undefined;
}

export function isThis(node: TSESTree.Node): boolean {
  return unwrap(node).type === 'ThisExpression';
}

/**
 * The name a function is known by (`#name` for private members): its own id, or the key, variable or assignment target that
 * holds it (`evict() {}`, `evict = () => {}`, `const evict = function () {}`, `c.onEvict = …`).
 */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.type !== 'ArrowFunctionExpression' && fn.id) return fn.id.name;
  const parent = fn.parent;
  switch (parent.type) {
    case 'MethodDefinition':
    case 'PropertyDefinition':
    case 'Property':
      if (parent.value !== fn) return undefined;
      return parent.key.type === 'PrivateIdentifier' ? `#${parent.key.name}` : keyName(parent.key, parent.computed);
    case 'VariableDeclarator':
      return parent.id.type === 'Identifier' ? parent.id.name : undefined;
    case 'AssignmentExpression': {
      const target = parent.left;
      if (target.type === 'Identifier') return target.name;
      return target.type === 'MemberExpression' ? memberName(target) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What `this` in `node` refers to: the class body of a method or field, or the object literal of
 * a method. Arrow functions keep the outer `this`; any other function has its own, unknown here.
 */
export function thisOwner(node: TSESTree.Node): TSESTree.ClassBody | TSESTree.ObjectExpression | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'ClassBody') return current;
    if (current.type !== 'FunctionExpression' && current.type !== 'FunctionDeclaration') continue;
    const holder = current.parent;
    if (holder?.type === 'MethodDefinition' || holder?.type === 'PropertyDefinition') return holder.parent;
    if (holder?.type === 'Property' && holder.value === current && holder.parent.type === 'ObjectExpression') {
      return holder.parent;
    }
    return undefined;
  }
  return undefined;
}

/** The function a member named `name` of a class or object literal runs: a method or a function-valued field. */
export function memberFunction(
  owner: TSESTree.ClassBody | TSESTree.ObjectExpression,
  name: string,
  isPrivate: boolean,
): FunctionNode | undefined {
  const members = owner.type === 'ClassBody' ? owner.body : owner.properties;
  for (const member of members) {
    if (member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition' && member.type !== 'Property') continue;
    if ((member.key.type === 'PrivateIdentifier') !== isPrivate) continue;
    if (keyName(member.key, member.computed) !== name) continue;
    if (member.value && isFunction(member.value)) return member.value;
  }
  return undefined;
}

export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}
