import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { FunctionNode } from './ast.js';
import type { CrossFile, FileView, FunctionInFile } from './file-view.js';
import type { Settings } from './settings.js';

import { contains, functionName, isFunction, isThis, keyName, memberName, thisOwner, unwrap, walk } from './ast.js';
import { resolveFunction, resolveObject } from './references.js';

/**
 * Where a caller's function enters the code that will call it back: parameter `index` of `fn`
 * (a function, or a class's constructor), or property `key` of the object given there
 * (`new TtlMap({ onDelete })`). `name` is how reports call it.
 */
export interface Slot {
  fn: FunctionNode;
  index: number;
  key: string | undefined;
  name: string;
}

/** The parameter of `fn` that `binding` (an identifier it declares) belongs to, and the key when destructured. */
function parameterSlot(fn: FunctionNode, binding: TSESTree.Node, name: string): Slot | undefined {
  for (const [index, parameter] of fn.params.entries()) {
    if (!contains(parameter, binding)) continue;
    let base: TSESTree.Node = parameter.type === 'TSParameterProperty' ? parameter.parameter : parameter;
    if (base.type === 'AssignmentPattern') base = base.left;
    if (base === binding) return { fn, index, key: undefined, name };
    if (base.type !== 'ObjectPattern') return undefined;
    for (const property of base.properties) {
      if (property.type !== 'Property') continue;
      const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
      if (value === binding) {
        const key = keyName(property.key, property.computed);
        return key === undefined ? undefined : { fn, index, key, name };
      }
    }
    return undefined;
  }
  return undefined;
}

const withKey = (slot: Slot | undefined, key: string | undefined): Slot | undefined =>
  slot && key !== undefined && slot.key === undefined ? { ...slot, key, name: key } : undefined;

/**
 * Per class: which fields its constructor stores a parameter in, found once (`this.onEvict =
 * onEvict`, parameter properties). Found the same way whoever asks first, so the answer does not
 * depend on how deep that caller was; the map is stored before the walk, so a constructor that
 * reads its own fields ends.
 */
const storedByClass = new WeakMap<TSESTree.ClassBody, Map<string, Slot>>();

function storedFields(owner: TSESTree.ClassBody, file: FileView): Map<string, Slot> {
  const cached = storedByClass.get(owner);
  if (cached) return cached;
  const fields = new Map<string, Slot>();
  storedByClass.set(owner, fields);
  const constructor = owner.body.find(
    (node): node is TSESTree.MethodDefinition => node.type === 'MethodDefinition' && node.kind === 'constructor',
  )?.value;
  if (!isFunction(constructor)) return fields;
  // What callers hand in is read from the calls in the class's own file (`slotFunctions`), so in
  // the linted file a class nobody constructs there stores no slot that matters. In another file
  // of the program, the callers are the linted file's.
  if (!file.otherFile && callsOf(constructor, file).length === 0) return fields;
  for (const [index, parameter] of constructor.params.entries()) {
    if (parameter.type !== 'TSParameterProperty') continue;
    const base = parameter.parameter.type === 'AssignmentPattern' ? parameter.parameter.left : parameter.parameter;
    if (base.type === 'Identifier') fields.set(base.name, { fn: constructor, index, key: undefined, name: base.name });
  }
  walk(constructor.body ?? constructor, file.visitorKeys, (node) => {
    if (isFunction(node)) return false;
    if (node.type !== 'AssignmentExpression' || node.left.type !== 'MemberExpression' || !isThis(node.left.object)) return undefined;
    const name = memberName(node.left);
    // The first assignment that stores a caller's callback wins (`this.onEvict = null` first is skipped).
    if (name === undefined || fields.get(name)) return undefined;
    const slot = slotOf(node.right, file, 1);
    if (slot) fields.set(name, { ...slot, name: slot.key ?? name });
    return undefined;
  });
  return fields;
}

/** `this.onEvict` in a class: the constructor parameter it was stored from (`this.onEvict = onEvict`, a parameter property). */
function storedSlot(member: TSESTree.MemberExpression, name: string, file: FileView): Slot | undefined {
  const owner = thisOwner(member);
  return owner?.type === 'ClassBody' ? storedFields(owner, file).get(name) : undefined;
}

/**
 * If `expression` (a function called on an eviction path, or handed to a cache) is a callback a
 * caller handed in, the slot it came through: a parameter (`onEvict(k, v)`), a property of an
 * options parameter (`options.onDelete?.(v)`, `const { onDelete } = options`), or a field the
 * constructor stored one in (`this.onEvict(k, v)`, a parameter property).
 */
export function slotOf(expression: TSESTree.Node, file: FileView, depth = 0): Slot | undefined {
  if (depth > 3) return undefined;
  const node = unwrap(expression);
  switch (node.type) {
    case 'Identifier': {
      const variable = findVariable(file.getScope(node), node);
      const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (!definition) return undefined;
      if (definition.type === 'Parameter' && isFunction(definition.node)) return parameterSlot(definition.node, definition.name, node.name);
      if (definition.node.type !== 'VariableDeclarator' || !definition.node.init) return undefined;
      const declarator = definition.node;
      // `const { onDelete } = options`, `const onDelete = options.onDelete`
      if (declarator.id.type === 'ObjectPattern') {
        const property = declarator.id.properties.find(
          (candidate): candidate is TSESTree.Property => candidate.type === 'Property' && candidate.value === definition.name,
        );
        return property ? withKey(slotOf(declarator.init!, file, depth + 1), keyName(property.key, property.computed)) : undefined;
      }
      return declarator.id === definition.name && !isFunction(declarator.init) ? slotOf(declarator.init!, file, depth + 1) : undefined;
    }
    case 'MemberExpression': {
      const name = memberName(node);
      if (name === undefined) return undefined;
      if (isThis(node.object)) return storedSlot(node, name, file);
      return withKey(slotOf(node.object, file, depth + 1), name);
    }
    case 'LogicalExpression':
      // `this.onEvict = onEvict ?? noop`
      return slotOf(node.left, file, depth + 1);
    default:
      return undefined;
  }
}

/** The calls that run `fn`, found in its file: `new C(…)` and subclass `super(…)` for a constructor, calls of a named function or `this.method(…)`. */
function callsOf(fn: FunctionNode, file: FileView): (TSESTree.CallExpression | TSESTree.NewExpression)[] {
  const calls: (TSESTree.CallExpression | TSESTree.NewExpression)[] = [];
  const scopeManager = file.scopeManager;
  if (!scopeManager) return calls;
  const holder = fn.parent;
  const callsThrough = (variables: readonly TSESLint.Scope.Variable[], name: string | undefined): void => {
    for (const variable of variables) {
      if (variable.name !== name) continue;
      for (const reference of variable.references) {
        const use = reference.identifier;
        const parent = use.parent;
        if ((parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.callee === use) calls.push(parent);
        // `class Sub extends Cache { constructor() { super(…) } }`
        if ((parent?.type === 'ClassDeclaration' || parent?.type === 'ClassExpression') && parent.superClass === use) {
          const constructor = parent.body.body.find(
            (member): member is TSESTree.MethodDefinition => member.type === 'MethodDefinition' && member.kind === 'constructor',
          )?.value;
          if (constructor?.body) {
            walk(constructor.body, file.visitorKeys, (node) => {
              if (isFunction(node)) return false;
              if (node.type === 'CallExpression' && node.callee.type === 'Super') calls.push(node);
              return undefined;
            });
          }
        }
      }
    }
  };
  if (holder?.type === 'MethodDefinition' && holder.kind === 'constructor') {
    const owner = holder.parent.parent;
    if (owner.id) callsThrough(scopeManager.getDeclaredVariables(owner), owner.id.name);
    else if (owner.parent?.type === 'VariableDeclarator' && owner.parent.id.type === 'Identifier') {
      callsThrough(scopeManager.getDeclaredVariables(owner.parent), owner.parent.id.name);
    }
    return calls;
  }
  if (fn.type === 'FunctionDeclaration') {
    callsThrough(scopeManager.getDeclaredVariables(fn), fn.id?.name);
    return calls;
  }
  if (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier') {
    callsThrough(scopeManager.getDeclaredVariables(holder), holder.id.name);
    return calls;
  }
  // `this.setHandler(…)` inside the class or object literal that holds the method.
  const name = functionName(fn);
  const owner = holder && (holder.type === 'MethodDefinition' || holder.type === 'PropertyDefinition' || holder.type === 'Property') ? holder.parent : undefined;
  if (name === undefined || !owner || (owner.type !== 'ClassBody' && owner.type !== 'ObjectExpression')) return calls;
  walk(owner, file.visitorKeys, (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && isThis(node.callee.object)) {
      if (memberName(node.callee) === name.replace(/^#/u, '') && thisOwner(node.callee) === owner) calls.push(node);
    }
    return undefined;
  });
  return calls;
}

/** What callers in the slot's file hand in through it: the argument, or the property of the options object. */
export function slotArguments(slot: Slot, file: FileView): TSESTree.Node[] {
  const found: TSESTree.Node[] = [];
  for (const call of callsOf(slot.fn, file)) {
    const argument = call.arguments[slot.index];
    if (!argument || argument.type === 'SpreadElement') continue;
    if (slot.key === undefined) {
      found.push(argument);
      continue;
    }
    const object = resolveObject(argument, file);
    for (const property of object?.properties ?? []) {
      if (property.type === 'Property' && keyName(property.key, property.computed) === slot.key) found.push(property.value);
    }
  }
  return found;
}

/** The callee a call site is known by in reports: `CappedMap` for `new CappedMap(…)`, `makeCache` for `makeCache(…)`. */
export function slotOwnerName(slot: Slot): string {
  const holder = slot.fn.parent;
  if (holder?.type === 'MethodDefinition' && holder.kind === 'constructor') {
    const owner = holder.parent.parent;
    const name = owner.id?.name ?? (owner.parent?.type === 'VariableDeclarator' && owner.parent.id.type === 'Identifier' ? owner.parent.id.name : undefined);
    return name ?? 'the class';
  }
  return functionName(slot.fn) ?? 'the function';
}

/**
 * Whether a callback parameter outlives the call that receives it: stored in a field or an
 * object, a constructor's, or used from a nested function that is not run during the call (a
 * method of the object a factory returns). A callback used only during the call (`forEach`-like,
 * as in TypeScript's `mutateMap(map, next, { onDeleteValue })`) is a visitor, not an eviction hook.
 */
function outlivesCall(fn: FunctionNode, binding: TSESTree.Identifier, file: FileView): boolean {
  if (fn.parent?.type === 'MethodDefinition' && fn.parent.kind === 'constructor') return true;
  const variable = findVariable(file.getScope(binding), binding);
  for (const reference of variable?.references ?? []) {
    const use = reference.identifier;
    const parent = use.parent;
    if (parent?.type === 'AssignmentExpression' && parent.right === use && parent.left.type === 'MemberExpression') return true;
    if (parent?.type === 'Property' && parent.value === use && parent.parent.type === 'ObjectExpression') return true;
    for (let scope: TSESLint.Scope.Scope | null = reference.from; scope && scope.block !== fn; scope = scope.upper) {
      const block = scope.block;
      if (isFunction(block) && block.parent?.type !== 'CallExpression' && block.parent?.type !== 'NewExpression') return true;
    }
  }
  return false;
}

/**
 * Callback parameters named as eviction handlers that outlive the call receiving them:
 * `constructor(max, onEvict)`, `function createCache({ onEviction })`, a parameter property.
 */
export function namedSlots(file: FileView, settings: Settings): Slot[] {
  const found: Slot[] = [];
  for (const scope of file.scopeManager?.scopes ?? []) {
    if (scope.type !== 'function' || !isFunction(scope.block)) continue;
    const fn = scope.block;
    if (fn.parent?.type === 'MethodDefinition' && fn.parent.kind === 'constructor' && fn.body) {
      // `this.onEvict = callback`: a field named as a handler, whatever the parameter's name.
      walk(fn.body, file.visitorKeys, (node) => {
        if (isFunction(node)) return false;
        if (node.type !== 'AssignmentExpression' || node.left.type !== 'MemberExpression' || !isThis(node.left.object)) return undefined;
        const field = memberName(node.left);
        const slot = field !== undefined && settings.isHandlerName(field) ? slotOf(node.right, file) : undefined;
        if (slot?.fn === fn) found.push({ ...slot, name: field! });
        return undefined;
      });
    }
    for (const [index, parameter] of fn.params.entries()) {
      let base: TSESTree.Node = parameter.type === 'TSParameterProperty' ? parameter.parameter : parameter;
      if (base.type === 'AssignmentPattern') base = base.left;
      if (base.type === 'Identifier') {
        if (settings.isHandlerName(base.name) && (parameter.type === 'TSParameterProperty' || outlivesCall(fn, base, file))) {
          found.push({ fn, index, key: undefined, name: base.name });
        }
        continue;
      }
      if (base.type !== 'ObjectPattern') continue;
      for (const property of base.properties) {
        if (property.type !== 'Property') continue;
        const key = keyName(property.key, property.computed);
        const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
        if (key !== undefined && value.type === 'Identifier' && settings.isHandlerName(key) && outlivesCall(fn, value, file)) {
          found.push({ fn, index, key, name: key });
        }
      }
    }
  }
  return found;
}

/** A stable identity for a slot, to compare slots found from the two sides of a call. */
export function slotKey(slot: Pick<Slot, 'fn' | 'index' | 'key'>): string {
  return `${slot.fn.range[0]}:${slot.index}:${slot.key ?? ''}`;
}

/**
 * The functions callers hand in through `slot`: inline or named functions, through types an
 * imported one, and through a wrapper that forwards its own callback parameter (up to two
 * wrappers deep).
 */
export function slotFunctions(slot: Slot, file: FileView, crossFile: CrossFile | undefined, depth = 0): FunctionInFile[] {
  const found: FunctionInFile[] = [];
  for (const argument of slotArguments(slot, file)) {
    const fn = resolveFunction(argument, file);
    if (fn) {
      found.push({ fn, file });
      continue;
    }
    const imported = crossFile?.referencedFunction(argument, file);
    if (imported) {
      found.push(imported);
      continue;
    }
    const forwarded = depth < 2 ? slotOf(argument, file) : undefined;
    if (forwarded) found.push(...slotFunctions(forwarded, file, crossFile, depth + 1));
  }
  return found;
}
