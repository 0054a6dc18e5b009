import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FunctionNode } from './ast.js';
import type { FileView } from './file-view.js';

import { isFunction, isThis, keyName, memberFunction, memberName, thisOwner, unwrap, walk } from './ast.js';

/** What an identifier was bound to once: a function declaration, a const's value, or a destructured key. */
export type Binding =
  | { kind: 'destructured'; key: string | undefined; source: TSESTree.Node | null }
  | { kind: 'function'; fn: FunctionNode }
  | { kind: 'value'; init: TSESTree.Expression };

/** The one value a variable is ever given: `const x = v`, or `let x; … x = v` assigned once. */
function onlyValue(variable: { references: readonly TSESLint.Scope.Reference[] }): TSESTree.Expression | undefined {
  const writes = variable.references.filter((ref) => ref.isWrite());
  const write = writes.length === 1 ? writes[0] : undefined;
  const target = write?.identifier.parent;
  const plain = write?.init === true || (target?.type === 'AssignmentExpression' && target.operator === '=');
  return plain && write?.writeExpr ? (write.writeExpr as TSESTree.Expression) : undefined;
}

/** Follows an identifier to its single definition; reassigned variables and parameters yield nothing. */
export function resolveBinding(identifier: TSESTree.Identifier, file: FileView): Binding | undefined {
  const variable = findVariable(file.getScope(identifier), identifier);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!variable || !definition) return undefined;
  // A parameter's definition node is its function too; only the function's own name binds it.
  if (definition.type === 'FunctionName' && definition.node.type === 'FunctionDeclaration') return { kind: 'function', fn: definition.node };
  if (definition.node.type !== 'VariableDeclarator') return undefined;
  const declarator = definition.node;
  if (declarator.id.type === 'Identifier') {
    // `for (const c of list)` writes each element, not `list`.
    if (declarator.parent.parent.type === 'ForOfStatement' || declarator.parent.parent.type === 'ForInStatement') return undefined;
    const value = onlyValue(variable);
    if (!value) return undefined;
    const init = unwrap(value) as TSESTree.Expression;
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
 * The strings a key or event name may be, when the code spells them out: a literal, a const
 * (`const method = 'close'`), or a loop over a literal list (`for (const m of ['aclose', 'close'])`).
 */
export function possibleKeys(key: TSESTree.Node, file: FileView): readonly string[] {
  const node = unwrap(key);
  if (node.type !== 'Identifier') {
    const name = keyName(node, true);
    return name === undefined ? [] : [name];
  }
  const variable = findVariable(file.getScope(node), node);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  const declarator = definition?.node;
  if (!variable || declarator?.type !== 'VariableDeclarator' || declarator.id !== definition!.name) return [];
  const loop = declarator.parent.parent;
  let values: readonly (TSESTree.Node | null | undefined)[];
  if (loop.type === 'ForOfStatement' && loop.left === declarator.parent) {
    // A `let` the body reassigns holds other values too.
    if (variable.references.filter((reference) => reference.isWrite()).length !== 1) return [];
    // The list itself, or a const holding it (`const CLOSERS = ['aclose', 'close']`).
    const right = unwrap(loop.right);
    const list = right.type === 'Identifier' ? resolveBinding(right, file) : { kind: 'value' as const, init: right };
    values = list?.kind === 'value' && list.init.type === 'ArrayExpression' ? list.init.elements : [];
  } else {
    values = [onlyValue(variable)];
  }
  return values.flatMap((value) => {
    const name = value && value.type !== 'SpreadElement' ? keyName(unwrap(value), true) : undefined;
    return name === undefined ? [] : [name];
  });
}

/**
 * The function an expression refers to: an inline function, a same-file function or const,
 * `this.method` / `this.#method` of the enclosing class or object literal, any of these
 * `.bind(…)`ed, or a const holding one (`const onDispose = this.release.bind(this)`).
 */
export function resolveFunction(expression: TSESTree.Node, file: FileView, depth = 0): FunctionNode | undefined {
  const node = unwrap(expression);
  if (isFunction(node)) return node;
  if (node.type === 'Identifier') {
    const binding = resolveBinding(node, file);
    if (binding?.kind === 'function') return binding.fn;
    return binding?.kind === 'value' && depth < 2 ? resolveFunction(binding.init, file, depth + 1) : undefined;
  }
  if (node.type === 'MemberExpression' && isThis(node.object)) {
    const name = memberName(node);
    const owner = thisOwner(node);
    return name && owner ? memberFunction(owner, name, node.property.type === 'PrivateIdentifier') : undefined;
  }
  if (node.type === 'CallExpression') {
    const callee = unwrap(node.callee);
    if (callee.type === 'MemberExpression' && memberName(callee) === 'bind') {
      return resolveFunction(callee.object, file, depth);
    }
  }
  return undefined;
}

/** A const's object literal, followed through one level of naming (`const opts = {…}`). */
export function resolveObject(expression: TSESTree.Node, file: FileView): TSESTree.ObjectExpression | undefined {
  const node = unwrap(expression);
  if (node.type === 'ObjectExpression') return node;
  if (node.type !== 'Identifier') return undefined;
  const binding = resolveBinding(node, file);
  if (binding?.kind !== 'value') return undefined;
  const init = unwrap(binding.init);
  return init.type === 'ObjectExpression' ? init : undefined;
}

/** Whether `identifier` names a parameter of `fn`. */
export function isParameterOf(identifier: TSESTree.Identifier, fn: FunctionNode, file: FileView): boolean {
  const variable = findVariable(file.getScope(identifier), identifier);
  return variable?.defs.some((definition) => definition.type === 'Parameter' && definition.node === fn) ?? false;
}

const EMITTER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** A handler this file registers for an event, and what it listens on (`signal` in `signal.addEventListener(…)`). */
export interface Registration {
  events: readonly string[];
  handler: TSESTree.Node;
  receiver: TSESTree.Node | undefined;
}

/**
 * `emitter.on('expired', fn)` and the other EventEmitter methods; with `eventTarget`, also
 * `target.addEventListener('abort', fn)`, `target.onabort = fn` and `addAbortListener(signal, fn)`.
 */
function registration(node: TSESTree.Node, eventTarget: boolean, file: FileView): Registration | undefined {
  if (node.type === 'AssignmentExpression') {
    const property = eventTarget && node.left.type === 'MemberExpression' ? memberName(node.left) : undefined;
    return property?.startsWith('on') ? { events: [property.slice(2)], handler: node.right, receiver: (node.left as TSESTree.MemberExpression).object } : undefined;
  }
  if (node.type !== 'CallExpression') return undefined;
  const callee = unwrap(node.callee);
  const method = callee.type === 'MemberExpression' ? memberName(callee) : callee.type === 'Identifier' ? callee.name : undefined;
  const [first, second] = node.arguments;
  if (eventTarget && method === 'addAbortListener') return second && { events: ['abort'], handler: second, receiver: first };
  if (callee.type !== 'MemberExpression' || !method || !second) return undefined;
  if (!EMITTER_METHODS.has(method) && !(eventTarget && method === 'addEventListener')) return undefined;
  return { events: possibleKeys(first!, file), handler: second, receiver: callee.object };
}

/** Handlers this file registers for any of `events`. Walks the whole file, so it runs only on demand. */
export function eventListeners(
  program: TSESTree.Program,
  file: FileView,
  events: ReadonlySet<string>,
  { eventTarget = false } = {},
): Registration[] {
  const found: Registration[] = [];
  walk(program, file.visitorKeys, (node) => {
    const registered = registration(node, eventTarget, file);
    if (registered?.events.some((event) => events.has(event))) found.push(registered);
  });
  return found;
}
