import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FunctionNode } from './ast.js';

import { classMemberFunction, enclosingClassBody, isFunction, isThis, memberName, unwrap } from './ast.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** What an identifier was bound to once: a function declaration, a const's value, or a destructured key. */
export type Binding =
  | { kind: 'destructured'; key: string | undefined; source: TSESTree.Node | null }
  | { kind: 'function'; fn: FunctionNode }
  | { kind: 'value'; init: TSESTree.Expression };

/** Follows an identifier to its single definition; reassigned variables and parameters yield nothing. */
export function resolveBinding(identifier: TSESTree.Identifier, sourceCode: SourceCode): Binding | undefined {
  const variable = findVariable(sourceCode.getScope(identifier), identifier);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!definition) return undefined;
  if (definition.node.type === 'FunctionDeclaration') return { kind: 'function', fn: definition.node };
  if (definition.node.type !== 'VariableDeclarator') return undefined;
  const declarator = definition.node;
  if (declarator.id.type === 'Identifier') {
    if (!declarator.init || variable?.references.some((ref) => ref.isWrite() && ref.init !== true)) return undefined;
    const init = unwrap(declarator.init) as TSESTree.Expression;
    return isFunction(init) ? { kind: 'function', fn: init } : { kind: 'value', init };
  }
  // `const { close } = client` / `const { close: shut } = client`
  const property = definition.name.parent;
  if (property?.type === 'Property' && property.value === definition.name) {
    return {
      kind: 'destructured',
      key: property.key.type === 'Identifier' && !property.computed ? property.key.name : undefined,
      source: declarator.init,
    };
  }
  return undefined;
}

/**
 * The function an expression refers to: an inline function, a same-file function or const,
 * `this.method` / `this.#method` in the enclosing class, or any of these `.bind(…)`ed.
 */
export function resolveFunction(expression: TSESTree.Node, sourceCode: SourceCode): FunctionNode | undefined {
  const node = unwrap(expression);
  if (isFunction(node)) return node;
  if (node.type === 'Identifier') {
    const binding = resolveBinding(node, sourceCode);
    return binding?.kind === 'function' ? binding.fn : undefined;
  }
  if (node.type === 'MemberExpression' && isThis(node.object)) {
    const name = memberName(node);
    const body = enclosingClassBody(node);
    return name && body ? classMemberFunction(body, name, node.property.type === 'PrivateIdentifier') : undefined;
  }
  if (node.type === 'CallExpression') {
    const callee = unwrap(node.callee);
    if (callee.type === 'MemberExpression' && memberName(callee) === 'bind') {
      return resolveFunction(callee.object, sourceCode);
    }
  }
  return undefined;
}

/** A const's object literal, followed through one level of naming (`const opts = {…}`). */
export function resolveObject(expression: TSESTree.Node, sourceCode: SourceCode): TSESTree.ObjectExpression | undefined {
  const node = unwrap(expression);
  if (node.type === 'ObjectExpression') return node;
  if (node.type !== 'Identifier') return undefined;
  const binding = resolveBinding(node, sourceCode);
  if (binding?.kind !== 'value') return undefined;
  const init = unwrap(binding.init);
  return init.type === 'ObjectExpression' ? init : undefined;
}
