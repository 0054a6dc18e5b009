import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from '../analysis/ast.js';
import type { ReachedClose } from '../analysis/call-graph.js';
import type { Candidates, EvictionPath } from '../analysis/eviction-paths.js';
import type { CrossFile } from '../analysis/file-view.js';
import type { Settings } from '../analysis/settings.js';
import type { NoCloseOnEvictOptions } from '../options.js';

import { isFunction } from '../analysis/ast.js';
import { findClosesOnPath } from '../analysis/call-graph.js';
import { evictionNameKind, evictionPaths } from '../analysis/eviction-paths.js';
import { fileTriggers } from '../analysis/file-triggers.js';
import { callbacksHandedToEviction } from '../analysis/handed-callbacks.js';
import { insertionTimer } from '../analysis/insertion-timers.js';
import { cacheShapedOptions } from '../analysis/library-hooks.js';
import { removeClose } from '../fixes/remove-close.js';
import { compileSettings, defaultOptions, optionsSchema } from '../options.js';
import { crossFileFor } from '../typed/cross-file.js';
import { createRule } from '../util/create-rule.js';

export type MessageIds = 'closeOnEvict' | 'closeOnEvictGuarded' | 'removeClose';
export type Options = [NoCloseOnEvictOptions];

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

interface FoundCandidates {
  namedFunctions: FunctionNode[];
  timerCallbacks: FunctionNode[];
  cacheOptions: TSESTree.ObjectExpression[];
  cacheCallbacks: FunctionNode[];
  handlerSlots: boolean;
  cacheImports: boolean;
}

const noCandidates = (): FoundCandidates => ({ namedFunctions: [], timerCallbacks: [], cacheOptions: [], cacheCallbacks: [], handlerSlots: false, cacheImports: false });
const NO_CANDIDATES: Candidates = noCandidates();

/** Reports each close reached from an eviction path of the file, once. */
function reportClosesOnEviction(context: Context, settings: Settings, crossFile: CrossFile | undefined, candidates: Candidates): void {
  const file = context.sourceCode;
  const paths = [...(crossFile ? callbacksHandedToEviction(file, settings, crossFile) : []), ...evictionPaths(file, settings, crossFile, candidates)];
  // One report per close: unguarded wins over guarded when several paths reach it.
  const reports = new Map<TSESTree.Node, { path: EvictionPath; reached: ReachedClose }>();
  const seen = new Set<FunctionNode>();
  for (const path of paths) {
    if (seen.has(path.fn)) continue;
    seen.add(path.fn);
    findClosesOnPath(path, settings, crossFile, (reached) => {
      if (reached.guarded && !settings.reportGuarded) return;
      const previous = reports.get(reached.site.node);
      if (!previous || (previous.reached.guarded && !reached.guarded)) reports.set(reached.site.node, { path, reached });
    });
  }

  for (const { path, reached } of reports.values()) {
    const where = path.describe(reached.via);
    const data = { call: reached.site.label, path: reached.elsewhere ? `${where}, and closes through ${reached.elsewhere}` : where };
    // A close inside a helper the path calls may serve other callers too (shutdown, say).
    const edit = reached.via.length === 0 && !reached.elsewhere ? removeClose(reached.site.node, file) : undefined;
    context.report({
      node: reached.site.node,
      messageId: reached.guarded ? 'closeOnEvictGuarded' : 'closeOnEvict',
      data,
      suggest: edit
        ? [{ messageId: 'removeClose', data, fix: (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange(edit.range, edit.text) }]
        : [],
    });
  }
}

/** What the listeners learn of one file while ESLint walks it. */
interface FileState {
  context: Context;
  crossFile: CrossFile | undefined;
  /** A selector saw something that may make the file worth analysing. */
  wanted: boolean;
  candidates: FoundCandidates | undefined;
}

interface SharedListeners {
  settings: Settings;
  /** The listeners for the file `context` lints, with a fresh state. */
  forFile: (context: Context, crossFile: CrossFile | undefined) => TSESLint.RuleListener;
}

/** Files set aside by lints started during a walk, and by walks that threw before their end. */
const MAX_SET_ASIDE = 8;

/** The `Program` a node belongs to. */
function programOf(node: TSESTree.Node): TSESTree.Node {
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

/**
 * The listeners of one rule id with one set of settings, made once and shared by every file it
 * lints. ESLint calls `create` for every file, nearly all without a cache; making seven closures
 * there was about a fifth of the rule's time per file on the bench corpus. ESLint walks one file
 * at a time, so the listeners read the state of the file being walked; a lint started during a
 * walk (a rule linting a code block) sets the outer file's state aside until its own walk ends.
 * States are matched to the walked `Program`, so one left by a walk that threw is dropped.
 */
function shareListeners(settings: Settings): SharedListeners {
  const triggers = fileTriggers(settings);
  let current: FileState | undefined;
  const setAside: FileState[] = [];
  /** The state of `program`'s file: the current one, or one set aside (states above it are of walks that threw). */
  const stateOf = (program: TSESTree.Node): FileState | undefined => {
    while (current && current.context.sourceCode.ast !== program) current = setAside.pop();
    return current;
  };
  const stateAt = (node: TSESTree.Node): FileState | undefined => stateOf(programOf(node));
  /** Records what a selector saw in `state`'s file and marks the file for analysis. */
  const note = (state: FileState | undefined, record: (candidates: FoundCandidates) => unknown): void => {
    if (!state) return;
    record((state.candidates ??= noCandidates()));
    state.wanted = true;
  };
  const want = (node: TSESTree.Node): void => {
    const state = stateAt(node);
    if (state) state.wanted = true;
  };
  // Assigned rather than written as computed keys of a literal, which V8 builds several times slower.
  const listeners: Record<string, (node: TSESTree.Node) => void> = {};
  // Selectors note what may make the file worth analysing; the analysis runs once, at the end.
  listeners[triggers.namedFunctions] = (node) => {
    if (isFunction(node) && evictionNameKind(node, settings) !== undefined) note(stateAt(node), (found) => found.namedFunctions.push(node));
  };
  listeners[triggers.cacheImports] = (node) => note(stateAt(node), (found) => (found.cacheImports = true));
  listeners[triggers.handlerSlots] = (node) => note(stateAt(node), (found) => (found.handlerSlots = true));
  // Candidates are checked where they are seen, so a file whose only ones are a request timeout
  // or an object with some `dispose` method is not analysed.
  listeners[triggers.timerCallbacks] = (node) => {
    const state = stateAt(node);
    if (state && isFunction(node) && insertionTimer(node, state.context.sourceCode)) note(state, (found) => found.timerCallbacks.push(node));
  };
  listeners[triggers.cacheCallbacks] = (node) => {
    if (isFunction(node)) note(stateAt(node), (found) => found.cacheCallbacks.push(node));
  };
  listeners[triggers.cacheOptionHooks] = (node) => {
    const state = stateAt(node);
    const object = node.parent;
    if (object?.type !== 'ObjectExpression' || state?.candidates?.cacheOptions.includes(object) || !cacheShapedOptions(object)) return;
    note(state, (found) => found.cacheOptions.push(object));
  };
  listeners['Program:exit'] = (program) => {
    const state = stateOf(program);
    current = setAside.pop();
    if (!state?.wanted) return;
    // Closes in other files are found through types; without them, a close is named in this
    // file's text, and most files the selectors pick name none.
    if (state.crossFile || settings.textMayNameClose(state.context.sourceCode.text)) {
      reportClosesOnEviction(state.context, settings, state.crossFile, state.candidates ?? NO_CANDIDATES);
    }
  };
  const untyped: TSESLint.RuleListener = listeners;
  // With types, an imported wrapper or cache may be what calls a callback on eviction.
  const typed: TSESLint.RuleListener = { ...listeners, ImportDeclaration: want };
  return {
    settings,
    forFile: (context, crossFile) => {
      if (current && setAside.push(current) > MAX_SET_ASIDE) setAside.shift();
      current = { context, crossFile, wanted: false, candidates: undefined };
      return crossFile ? typed : untyped;
    },
  };
}

/** Per rule id (a config may load the plugin under two names), then per settings. */
const sharedByRule = new Map<string, WeakMap<Settings, SharedListeners>>();

function sharedListeners(ruleId: string, settings: Settings): SharedListeners {
  let bySettings = sharedByRule.get(ruleId);
  if (!bySettings) sharedByRule.set(ruleId, (bySettings = new WeakMap()));
  let shared = bySettings.get(settings);
  if (!shared) bySettings.set(settings, (shared = shareListeners(settings)));
  return shared;
}

// ESLint merges the defaults into a rule's options once per config and hands that object to every
// file the config lints, so `create` checks the last one by identity: on the bench corpus, looking
// settings up by value (or in a WeakMap) cost more than the rest of `create`. Another object holding
// the same values (RuleTester, a config built per file) still finds its settings by value.
let lastOptions: NoCloseOnEvictOptions | undefined;
let lastRuleId: string | undefined;
let lastShared: SharedListeners | undefined;

function create(context: Context): TSESLint.RuleListener {
  // ESLint (9.15 and later, our floor) has merged `meta.defaultOptions` into `context.options`.
  const options = context.options[0];
  if (options !== lastOptions || context.id !== lastRuleId || !lastShared) {
    lastShared = sharedListeners(context.id, compileSettings(options));
    lastOptions = options;
    lastRuleId = context.id;
  }
  return lastShared.forFile(context, lastShared.settings.typeChecked ? crossFileFor(context) : undefined);
}

const rule = createRule<Options, MessageIds>({
  name: 'no-close-on-evict',
  meta: {
    type: 'problem',
    docs: {
      description: 'disallow closing clients in cache eviction paths',
    },
    hasSuggestions: true,
    schema: [optionsSchema],
    defaultOptions: [defaultOptions],
    messages: {
      closeOnEvict:
        '`{{call}}` runs {{path}}. Code that still holds this client will fail mid-request; let eviction only drop the reference, and close clients at shutdown or after their last holder releases them.',
      closeOnEvictGuarded:
        '`{{call}}` runs {{path}}, behind an in-use check. An idle check sees requests in flight now, not holders that kept a reference and use the client later (LiteLLM\'s guardrails broke this way); let eviction only drop the reference, and close at shutdown or through leases that count every holder.',
      removeClose: 'Remove `{{call}}` so eviction only drops the reference.',
    },
  },
  create,
});

// RuleCreator merges the defaults again, with a structuredClone, on every file: on the bench corpus
// that cost more than the rule's own work. ESLint already did the merge, so call `create` directly.
Object.assign(rule, { create });

export default rule;
