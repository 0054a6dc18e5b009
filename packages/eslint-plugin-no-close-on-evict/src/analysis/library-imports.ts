import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { findVariable, ReferenceTracker } from '@typescript-eslint/utils/ast-utils';

import type { CacheLibrary } from './cache-libraries.js';
import type { FileView } from './file-view.js';

import { walk } from './ast.js';
import { CACHE_LIBRARIES, cacheLibrary } from './cache-libraries.js';

/** A cache the file makes: the library, and the options object given to it (when there is one). */
export interface CacheConstruction {
  library: CacheLibrary;
  /** `new LRUCache(options)`, `LRU(options)`, `LRU.call(this, options)`, `createLRU(options)`, or `super(options)` in a subclass. */
  options: TSESTree.Node | undefined;
}

/** `import LRU = require('lru-cache')` (TypeScript). */
function isCacheImportEquals(statement: TSESTree.ProgramStatement): statement is TSESTree.TSImportEqualsDeclaration {
  return (
    statement.type === 'TSImportEqualsDeclaration' &&
    statement.moduleReference.type === 'TSExternalModuleReference' &&
    cacheLibrary(statement.moduleReference.expression.value) !== undefined
  );
}

/** The `require('lru-cache')` call made through a `require` reference, if it loads a cache library. */
function cacheRequireCall(identifier: TSESTree.Node): TSESTree.CallExpression | undefined {
  const call = identifier.parent;
  const source = call?.type === 'CallExpression' && call.callee === identifier ? call.arguments[0] : undefined;
  return source?.type === 'Literal' && cacheLibrary(source.value) ? (call as TSESTree.CallExpression) : undefined;
}

/**
 * Calls `visit` with every `require` reference (the global, an unresolved one as in a `.js` file
 * read as a module, or a local one from `createRequire`) until it returns true. No lists are built:
 * this runs on every file analysed.
 */
function someRequireReference(globalScope: TSESLint.Scope.Scope, visit: (identifier: TSESTree.Node) => boolean): boolean {
  const visitReference = (reference: TSESLint.Scope.Reference): boolean => visit(reference.identifier);
  if (globalScope.set.get('require')?.references.some(visitReference)) return true;
  for (const reference of globalScope.through) {
    if (reference.identifier.type === 'Identifier' && reference.identifier.name === 'require' && visit(reference.identifier)) return true;
  }
  for (const scope of globalScope.childScopes) {
    if (scope.type === 'module' && scope.set.get('require')?.references.some(visitReference)) return true;
  }
  return false;
}

/** Whether the file imports or requires a cache library: a cheap test before tracking. */
export function importsCacheLibrary(file: FileView): boolean {
  // Imports are top-level statements: one pass over them, then the few `require` references.
  for (const statement of file.ast.body) {
    if (statement.type === 'ImportDeclaration' ? cacheLibrary(statement.source.value) : isCacheImportEquals(statement)) return true;
  }
  const globalScope = file.scopeManager?.globalScope;
  return globalScope ? someRequireReference(globalScope, (identifier) => cacheRequireCall(identifier) !== undefined) : false;
}

/** ReferenceTracker's trace map: export names, with symbol keys marking what to report. */
interface TraceElement {
  [key: string | symbol]: CacheLibrary | TraceElement;
}
type TraceMap = Parameters<InstanceType<typeof ReferenceTracker>['iterateEsmReferences']>[0];

/** Constructed, called (old lru-cache) and read (extended, `.call`ed) uses of a class. */
function classUses(entry: CacheLibrary): TraceElement {
  return {
    [ReferenceTracker.CONSTRUCT]: entry,
    [ReferenceTracker.READ]: entry,
    ...(entry.callable ? { [ReferenceTracker.CALL]: entry } : {}),
  };
}

/** The trace map for ESM imports (`moduleFlag` ESM) or CommonJS requires, derived from the library table. */
function traceMap(moduleFlag: symbol): TraceMap {
  const map: Record<string, TraceElement> = {};
  for (const entry of CACHE_LIBRARIES) {
    // The ESM flag marks a module whose default export is `default`, not the module itself.
    const element: TraceElement = moduleFlag === ReferenceTracker.ESM ? { [moduleFlag]: entry } : {};
    for (const name of entry.classes) element[name] = classUses(entry);
    for (const name of entry.factories) element[name] = { [ReferenceTracker.CALL]: entry };
    // CommonJS: the module itself is the class, constructed, called or extended.
    if (moduleFlag !== ReferenceTracker.ESM && entry.moduleIsClass) Object.assign(element, classUses(entry));
    map[entry.module] = element;
  }
  return map as TraceMap;
}

const ESM_TRACE = traceMap(ReferenceTracker.ESM);
const CJS_TRACE = traceMap(ReferenceTracker.CONSTRUCT);

/** `require('lru-cache')`, by any `require`, and TypeScript's `import LRU = require('lru-cache')`. */
function cacheRequires(file: FileView): (TSESTree.CallExpression | TSESTree.TSImportEqualsDeclaration)[] {
  const found: (TSESTree.CallExpression | TSESTree.TSImportEqualsDeclaration)[] = file.ast.body.filter(isCacheImportEquals);
  const globalScope = file.scopeManager?.globalScope;
  if (globalScope) {
    someRequireReference(globalScope, (identifier) => {
      const call = cacheRequireCall(identifier);
      if (call) found.push(call);
      return false;
    });
  }
  return found;
}

// Public in @eslint-community/eslint-utils (^4.9.1 here), missing from @typescript-eslint/utils' types.
interface PropertyTracker {
  iteratePropertyReferences: (node: TSESTree.Node, traceMap: TraceMap[string]) => Iterable<unknown>;
}

interface Tracked {
  node: TSESTree.Node;
  info: CacheLibrary;
  type: symbol;
}

/**
 * What `iterateCjsReferences` cannot see, as it starts from the global `require`: a `require` ESLint
 * does not know as a global, one made by `createRequire`, and `import LRU = require('lru-cache')`.
 */
function* otherRequireReferences(file: FileView, tracker: InstanceType<typeof ReferenceTracker>): Iterable<Tracked> {
  const globalRequire = file.scopeManager?.globalScope?.set.get('require');
  const propertyTracker = tracker as unknown as PropertyTracker;
  for (const node of cacheRequires(file)) {
    if (node.type === 'CallExpression') {
      const callee = node.callee as TSESTree.Identifier;
      if (globalRequire?.references.some((reference) => reference.identifier === callee)) continue;
      const module = (node.arguments[0] as TSESTree.StringLiteral).value;
      yield { node, info: cacheLibrary(module)!, type: ReferenceTracker.READ };
      yield* propertyTracker.iteratePropertyReferences(node, CJS_TRACE[module]!) as Iterable<Tracked>;
      continue;
    }
    const module = (node.moduleReference as TSESTree.TSExternalModuleReference).expression.value;
    for (const variable of file.scopeManager?.getDeclaredVariables(node) ?? []) {
      for (const reference of variable.references) {
        yield { node: reference.identifier, info: cacheLibrary(module)!, type: ReferenceTracker.READ };
        yield* propertyTracker.iteratePropertyReferences(reference.identifier, CJS_TRACE[module]!) as Iterable<Tracked>;
      }
    }
  }
}

/**
 * Where a class the tracker saw read is used: the read itself (`require('lru-cache').LRUCache`), or
 * every use of the name it is bound to (`import { LRUCache }`, `const LRU = require('lru-cache')`),
 * since the tracker reports a read once, where it is bound.
 */
function usesOfRead(node: TSESTree.Node, file: FileView): TSESTree.Node[] {
  let local: TSESTree.Node | undefined;
  if (node.type === 'ImportSpecifier' || node.type === 'ImportDefaultSpecifier') local = node.local;
  else if (node.type === 'Property') local = node.value;
  else if (node.parent?.type === 'VariableDeclarator' && node.parent.init === node) local = node.parent.id;
  if (!local) return [node];
  if (local.type !== 'Identifier') return [];
  return findVariable(file.getScope(local), local)?.references.map((reference) => reference.identifier) ?? [];
}

/** `class Clients extends LRUCache { constructor() { super(options) } }`: the options given to `super`. */
function superOptions(superClass: TSESTree.Node, file: FileView): TSESTree.Node | undefined {
  const owner = superClass.parent;
  if ((owner?.type !== 'ClassDeclaration' && owner?.type !== 'ClassExpression') || owner.superClass !== superClass) return undefined;
  const constructor = owner.body.body.find(
    (member): member is TSESTree.MethodDefinition => member.type === 'MethodDefinition' && member.kind === 'constructor',
  );
  let options: TSESTree.Node | undefined;
  if (constructor) {
    walk(constructor.value.body ?? constructor.value, file.visitorKeys, (node) => {
      if (options || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') return false;
      if (node.type === 'CallExpression' && node.callee.type === 'Super') options = node.arguments[0];
      return undefined;
    });
  }
  return options;
}

/** `LRU.call(this, options)` in an old-style constructor function: the options. */
function calledWithThis(use: TSESTree.Node): TSESTree.Node | undefined {
  const member = use.parent;
  const call = member?.parent;
  if (member?.type !== 'MemberExpression' || member.object !== use || call?.type !== 'CallExpression' || call.callee !== member) return undefined;
  return member.property.type === 'Identifier' && !member.computed && member.property.name === 'call' ? call.arguments[1] : undefined;
}

/**
 * Every cache the file makes with a library of the table, found through import aliases, default
 * and namespace imports and `require` (global or not): constructed, called, or extended.
 */
export function cacheConstructions(file: FileView): CacheConstruction[] {
  const globalScope = file.scopeManager?.globalScope;
  if (!globalScope || !importsCacheLibrary(file)) return [];
  const tracker = new ReferenceTracker(globalScope);
  const found: CacheConstruction[] = [];
  const references = [
    ...(tracker.iterateEsmReferences(ESM_TRACE) as Iterable<Tracked>),
    ...(tracker.iterateCjsReferences(CJS_TRACE) as Iterable<Tracked>),
    ...otherRequireReferences(file, tracker),
  ];
  for (const { node, info: library, type } of references) {
    if (type !== ReferenceTracker.READ && (node.type === 'NewExpression' || node.type === 'CallExpression')) {
      found.push({ library, options: node.arguments[0] });
      continue;
    }
    if (type !== ReferenceTracker.READ) continue;
    for (const use of usesOfRead(node, file)) {
      const options = superOptions(use, file) ?? (library.callable ? calledWithThis(use) : undefined);
      if (options) found.push({ library, options });
    }
  }
  return found;
}
