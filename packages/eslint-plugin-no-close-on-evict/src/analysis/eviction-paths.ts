import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { findVariable, ReferenceTracker } from '@typescript-eslint/utils/ast-utils';

import type { Settings } from '../options.js';
import type { FunctionNode } from './ast.js';

import { functionName, isFunction, keyName, walk } from './ast.js';
import { matchesAny } from '../options.js';
import { eventListeners, resolveFunction, resolveObject } from './references.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

/** A function that runs when a cache drops an entry, and how a report describes it. */
export interface EvictionPath {
  fn: FunctionNode;
  /** Completes "`client.close()` runs …", given the same-file functions the path went through. */
  describe: (via: readonly string[]) => string;
}

const chain = (names: readonly string[]): string => names.map((name) => `\`${name}\``).join(' → ');

type NameKind = 'eviction path' | 'eviction handler';

// Kept apart from `namedEvictionPath`, which runs for every function: variables a closure captures
// are allocated on each call of the function that makes the closure, even when it makes none.
function pathNamed(fn: FunctionNode, name: string, kind: NameKind): EvictionPath {
  return { fn, describe: (via) => `in the ${kind} ${chain([name, ...via])}` };
}

/**
 * Recognises an eviction path by its name (`evictOldest() {}`, `onEviction: (k, v) => …`). The
 * patterns are tested on each name: on the bench corpus that was cheaper than a cache of names.
 */
export function namedEvictionPath(fn: FunctionNode, settings: Settings): EvictionPath | undefined {
  const name = functionName(fn);
  if (name === undefined) return undefined;
  // A private member is matched without its `#`; a string key that starts with `#` is just a string.
  const bare = name.startsWith('#') && 'key' in fn.parent && fn.parent.key.type === 'PrivateIdentifier' ? name.slice(1) : name;
  if (matchesAny(settings.evictionNames, bare)) return pathNamed(fn, name, 'eviction path');
  return matchesAny(settings.handlerNames, bare) ? pathNamed(fn, name, 'eviction handler') : undefined;
}

/** Every function of the file named as an eviction path, in source order, from ESLint's scope list. */
function namedEvictionPaths(scopeManager: TSESLint.Scope.ScopeManager, settings: Settings): EvictionPath[] {
  const found: EvictionPath[] = [];
  for (const scope of scopeManager.scopes) {
    if (scope.type !== 'function' || !isFunction(scope.block)) continue;
    const path = namedEvictionPath(scope.block, settings);
    if (path) found.push(path);
  }
  // Scopes are listed in the order the scope manager visits them (decorators, for one, after
  // their class member); the first path to reach a close names it in the report.
  return found.sort((a, b) => a.fn.range[0] - b.fn.range[0]);
}

interface CacheLibrary {
  module: string;
  /** Option keys whose function the cache calls for each entry it drops. */
  hooks: readonly string[];
}

const LRU_CACHE: CacheLibrary = { module: 'lru-cache', hooks: ['dispose', 'disposeAfter'] };
const TTL_CACHE: CacheLibrary = { module: '@isaacs/ttlcache', hooks: ['dispose'] };
const QUICK_LRU: CacheLibrary = { module: 'quick-lru', hooks: ['onEviction'] };
const LRU_MIN: CacheLibrary = { module: 'lru.min', hooks: ['onEviction'] };
/** node-cache reports evictions as events on the instance rather than through options. */
const NODE_CACHE_MODULE = 'node-cache';
const NODE_CACHE_EVENTS: ReadonlySet<string> = new Set(['expired', 'del']);

const LIBRARIES = new Map<unknown, CacheLibrary | typeof NODE_CACHE_MODULE>([
  ...[LRU_CACHE, TTL_CACHE, QUICK_LRU, LRU_MIN].map((library) => [library.module, library] as const),
  [NODE_CACHE_MODULE, NODE_CACHE_MODULE],
]);
/** Module names of the cache libraries whose eviction hooks are followed. */
export const CACHE_MODULES: ReadonlySet<unknown> = new Set(LIBRARIES.keys());

/** `import LRU = require('lru-cache')` (TypeScript). */
function isCacheImportEquals(statement: TSESTree.ProgramStatement): statement is TSESTree.TSImportEqualsDeclaration {
  return (
    statement.type === 'TSImportEqualsDeclaration' &&
    statement.moduleReference.type === 'TSExternalModuleReference' &&
    CACHE_MODULES.has(statement.moduleReference.expression.value)
  );
}

/** The `require('lru-cache')` call made through a `require` reference, if it loads a cache library. */
function cacheRequireCall(identifier: TSESTree.Node): TSESTree.CallExpression | undefined {
  const call = identifier.parent;
  const source = call?.type === 'CallExpression' && call.callee === identifier ? call.arguments[0] : undefined;
  return source?.type === 'Literal' && CACHE_MODULES.has(source.value) ? (call as TSESTree.CallExpression) : undefined;
}

/**
 * Calls `visit` with every `require` reference (the global, an unresolved one as in a `.js` file
 * read as a module, or a local one from `createRequire`) until it returns true. No lists are built:
 * this runs on every file.
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

/** `require('lru-cache')`, by any `require`, and TypeScript's `import LRU = require('lru-cache')`. */
function cacheRequires(program: TSESTree.Program, sourceCode: SourceCode): (TSESTree.CallExpression | TSESTree.TSImportEqualsDeclaration)[] {
  const found: (TSESTree.CallExpression | TSESTree.TSImportEqualsDeclaration)[] = program.body.filter(isCacheImportEquals);
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (globalScope) {
    someRequireReference(globalScope, (identifier) => {
      const call = cacheRequireCall(identifier);
      if (call) found.push(call);
      return false;
    });
  }
  return found;
}

/** Whether the file imports or requires a cache library: a cheap test before tracking. */
function importsCacheLibrary(program: TSESTree.Program, sourceCode: SourceCode): boolean {
  // Imports are top-level statements: one pass over them, then the few `require` references.
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration' ? CACHE_MODULES.has(statement.source.value) : isCacheImportEquals(statement)) {
      return true;
    }
  }
  const globalScope = sourceCode.scopeManager?.globalScope;
  return globalScope ? someRequireReference(globalScope, (identifier) => cacheRequireCall(identifier) !== undefined) : false;
}

type Traced = CacheLibrary | typeof NODE_CACHE_MODULE;
/** ReferenceTracker's trace map: export names, with symbol keys marking what to report. */
interface TraceElement {
  [key: string | symbol]: TraceElement | Traced;
}
type TraceMap = Parameters<InstanceType<typeof ReferenceTracker>['iterateEsmReferences']>[0];

/** `new Cache(options)` and `class X extends Cache` for classes exported under `names`. */
function constructs(info: Traced, ...names: string[]): TraceElement {
  const element: TraceElement = {};
  for (const name of names) element[name] = { [ReferenceTracker.CONSTRUCT]: info, [ReferenceTracker.READ]: info };
  return element;
}

function traceMap(moduleFlag: symbol): TraceMap {
  // CommonJS: the module itself is the class, constructed or extended.
  const self = (info: Traced): TraceElement =>
    moduleFlag === ReferenceTracker.ESM ? { [moduleFlag]: info } : { [moduleFlag]: info, [ReferenceTracker.READ]: info };
  const entries: Record<string, TraceElement> = {
    [LRU_CACHE.module]: { ...constructs(LRU_CACHE, 'LRUCache', 'default'), ...self(LRU_CACHE) },
    [TTL_CACHE.module]: { ...constructs(TTL_CACHE, 'TTLCache', 'default'), ...self(TTL_CACHE) },
    [QUICK_LRU.module]: { ...constructs(QUICK_LRU, 'default'), ...self(QUICK_LRU) },
    [LRU_MIN.module]: { createLRU: { [ReferenceTracker.CALL]: LRU_MIN } },
    [NODE_CACHE_MODULE]: { ...constructs(NODE_CACHE_MODULE, 'default'), ...self(NODE_CACHE_MODULE) },
  };
  if (moduleFlag === ReferenceTracker.ESM) entries[LRU_MIN.module]![ReferenceTracker.ESM] = LRU_MIN;
  return entries as TraceMap;
}

// ESM: named and default exports. CommonJS: `new (require('lru-cache'))()` constructs the module itself.
const ESM_TRACE = traceMap(ReferenceTracker.ESM);
const CJS_TRACE = traceMap(ReferenceTracker.CONSTRUCT);

/**
 * Where a class the tracker saw read is used: the read itself (`require('lru-cache').LRUCache`), or
 * every use of the name it is bound to (`import { LRUCache }`, `const LRU = require('lru-cache')`),
 * since the tracker reports a read once, where it is bound.
 */
function usesOfRead(node: TSESTree.Node, sourceCode: SourceCode): TSESTree.Node[] {
  let local: TSESTree.Node | undefined;
  if (node.type === 'ImportSpecifier' || node.type === 'ImportDefaultSpecifier') local = node.local;
  else if (node.type === 'Property') local = node.value;
  else if (node.parent?.type === 'VariableDeclarator' && node.parent.init === node) local = node.parent.id;
  if (!local) return [node];
  if (local.type !== 'Identifier') return [];
  return findVariable(sourceCode.getScope(local), local)?.references.map((reference) => reference.identifier) ?? [];
}

/** `class Clients extends LRUCache { constructor() { super(options) } }`: the options given to `super`. */
function superOptions(superClass: TSESTree.Node, visitorKeys: SourceCode['visitorKeys']): TSESTree.Node | undefined {
  const owner = superClass.parent;
  if ((owner?.type !== 'ClassDeclaration' && owner?.type !== 'ClassExpression') || owner.superClass !== superClass) return undefined;
  const constructor = owner.body.body.find(
    (member): member is TSESTree.MethodDefinition => member.type === 'MethodDefinition' && member.kind === 'constructor',
  );
  let options: TSESTree.Node | undefined;
  if (constructor) {
    walk(constructor.value.body ?? constructor.value, visitorKeys, (node) => {
      if (options || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') return false;
      if (node.type === 'CallExpression' && node.callee.type === 'Super') options = node.arguments[0];
      return undefined;
    });
  }
  return options;
}

/** Hook functions in an options object, through consts and spreads (`{ ...base, max }`). */
function hookFunctions(
  options: TSESTree.Node,
  library: CacheLibrary,
  sourceCode: SourceCode,
  found: EvictionPath[],
  depth = 0,
): void {
  const object = resolveObject(options, sourceCode);
  if (!object || depth > 3) return;
  for (const property of object.properties) {
    if (property.type === 'SpreadElement') {
      hookFunctions(property.argument, library, sourceCode, found, depth + 1);
      continue;
    }
    const key = keyName(property.key, property.computed);
    if (key === undefined || !library.hooks.includes(key)) continue;
    const fn = resolveFunction(property.value, sourceCode);
    if (fn) found.push({ fn, describe: (via) => `when ${library.module} evicts this entry (${chain([key, ...via])})` });
  }
}

// Public in @eslint-community/eslint-utils (^4.9.1 here), missing from @typescript-eslint/utils' types.
interface PropertyTracker {
  iteratePropertyReferences(node: TSESTree.Node, traceMap: TraceMap[string]): Iterable<unknown>;
}

/**
 * What `iterateCjsReferences` cannot see, as it starts from the global `require`: a `require` ESLint
 * does not know as a global, one made by `createRequire`, and `import LRU = require('lru-cache')`.
 */
function* otherRequireReferences(
  program: TSESTree.Program,
  sourceCode: SourceCode,
  tracker: InstanceType<typeof ReferenceTracker>,
): Iterable<unknown> {
  const globalRequire = sourceCode.scopeManager?.globalScope?.set.get('require');
  const propertyTracker = tracker as unknown as PropertyTracker;
  for (const node of cacheRequires(program, sourceCode)) {
    if (node.type === 'CallExpression') {
      const callee = node.callee as TSESTree.Identifier;
      if (globalRequire?.references.some((reference) => reference.identifier === callee)) continue;
      const module = (node.arguments[0] as TSESTree.StringLiteral).value;
      yield { node, info: LIBRARIES.get(module), type: ReferenceTracker.READ };
      yield* propertyTracker.iteratePropertyReferences(node, CJS_TRACE[module]!);
      continue;
    }
    const module = (node.moduleReference as TSESTree.TSExternalModuleReference).expression.value;
    for (const variable of sourceCode.scopeManager?.getDeclaredVariables(node) ?? []) {
      for (const reference of variable.references) {
        yield { node: reference.identifier, info: LIBRARIES.get(module), type: ReferenceTracker.READ };
        yield* propertyTracker.iteratePropertyReferences(reference.identifier, CJS_TRACE[module]!);
      }
    }
  }
}

/**
 * Eviction hooks handed to cache libraries imported in this file, found through import aliases,
 * default and namespace imports and `require`. For node-cache, `.on('expired' | 'del')` listeners
 * anywhere in a file that constructs one.
 */
function libraryEvictionPaths(program: TSESTree.Program, sourceCode: SourceCode): EvictionPath[] {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return [];
  const tracker = new ReferenceTracker(globalScope);
  const found: EvictionPath[] = [];
  let usesNodeCache = false;
  const references = [
    ...tracker.iterateEsmReferences(ESM_TRACE),
    ...tracker.iterateCjsReferences(CJS_TRACE),
    ...otherRequireReferences(program, sourceCode, tracker),
  ];
  for (const { node, info, type } of references as Iterable<{ node: TSESTree.Node; info: Traced; type: symbol }>) {
    const constructed = type !== ReferenceTracker.READ && (node.type === 'NewExpression' || node.type === 'CallExpression');
    if (info === NODE_CACHE_MODULE) {
      usesNodeCache ||= constructed;
      continue;
    }
    if (constructed) {
      if (node.arguments[0]) hookFunctions(node.arguments[0], info, sourceCode, found);
      continue;
    }
    for (const use of usesOfRead(node, sourceCode)) {
      const options = superOptions(use, sourceCode.visitorKeys);
      if (options) hookFunctions(options, info, sourceCode, found);
    }
  }
  if (usesNodeCache) {
    for (const { events, handler } of eventListeners(program, sourceCode, NODE_CACHE_EVENTS)) {
      const fn = resolveFunction(handler, sourceCode);
      const event = events.find((name) => NODE_CACHE_EVENTS.has(name));
      if (fn) found.push({ fn, describe: (via) => `when ${NODE_CACHE_MODULE} emits ${chain([event!, ...via])}` });
    }
  }
  return found;
}

/**
 * Every eviction path in the file: hooks handed to cache libraries first, so a report names the
 * library rather than the hook (`onEviction`), then functions named as eviction paths.
 */
export function evictionPaths(sourceCode: SourceCode, settings: Settings): EvictionPath[] {
  const { ast: program, scopeManager } = sourceCode;
  if (!scopeManager) return [];
  const hooks = importsCacheLibrary(program, sourceCode) ? libraryEvictionPaths(program, sourceCode) : [];
  return [...hooks, ...namedEvictionPaths(scopeManager, settings)];
}
