import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from '../analysis/ast.js';
import type { ReachedClose } from '../analysis/call-graph.js';
import type { Candidates, EvictionPath } from '../analysis/eviction-paths.js';
import type { FileTriggers } from '../analysis/file-triggers.js';
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
  timerCallbacks: FunctionNode[];
  cacheOptions: TSESTree.ObjectExpression[];
  cacheCallbacks: FunctionNode[];
  handlerSlots: boolean;
}

const NO_CANDIDATES: Candidates = { timerCallbacks: [], cacheOptions: [], cacheCallbacks: [], handlerSlots: false };

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

// ESLint merges the defaults into a rule's options once per config and hands that object to every
// file the config lints, so `create` checks the last one by identity: on the bench corpus, looking
// settings up by value (or in a WeakMap) cost more than the rest of `create`. Another object holding
// the same values (RuleTester, a config built per file) still finds its settings by value.
let lastOptions: NoCloseOnEvictOptions | undefined;
let lastSettings: Settings | undefined;
let lastTriggers: FileTriggers | undefined;

function create(context: Context): TSESLint.RuleListener {
  // ESLint (9.15 and later, our floor) has merged `meta.defaultOptions` into `context.options`.
  const options = context.options[0];
  if (options !== lastOptions || !lastSettings || !lastTriggers) {
    lastSettings = compileSettings(options);
    lastTriggers = fileTriggers(lastSettings);
    lastOptions = options;
  }
  const settings = lastSettings;
  const triggers = lastTriggers;
  const crossFile = settings.typeChecked ? crossFileFor(context) : undefined;
  // Selectors note what may make the file worth analysing; the analysis runs once, at the end.
  // This runs for every file, nearly all without a cache: only the listeners are made here.
  let wanted = false;
  let candidates: FoundCandidates | undefined;
  const found = (): FoundCandidates => (candidates ??= { timerCallbacks: [], cacheOptions: [], cacheCallbacks: [], handlerSlots: false });
  const want = (): void => {
    wanted = true;
  };
  // Assigned rather than written as computed keys of a literal, which V8 builds several times slower.
  const listeners: Record<string, (node: TSESTree.Node) => void> = {};
  listeners[triggers.namedFunctions] = (node) => {
    wanted ||= isFunction(node) && evictionNameKind(node, settings) !== undefined;
  };
  listeners[triggers.cacheImports] = want;
  listeners[triggers.handlerSlots] = () => {
    found().handlerSlots = true;
    wanted = true;
  };
  // Candidates are checked where they are seen, so a file whose only ones are a request timeout
  // or an object with some `dispose` method is not analysed.
  listeners[triggers.timerCallbacks] = (node) => {
    if (!isFunction(node) || !insertionTimer(node, context.sourceCode)) return;
    found().timerCallbacks.push(node);
    wanted = true;
  };
  listeners[triggers.cacheCallbacks] = (node) => {
    if (!isFunction(node)) return;
    found().cacheCallbacks.push(node);
    wanted = true;
  };
  listeners[triggers.cacheOptionHooks] = (node) => {
    const object = node.parent;
    if (object?.type !== 'ObjectExpression' || candidates?.cacheOptions.includes(object) || !cacheShapedOptions(object)) return;
    found().cacheOptions.push(object);
    wanted = true;
  };
  listeners['Program:exit'] = () => {
    if (wanted) reportClosesOnEviction(context, settings, crossFile, candidates ?? NO_CANDIDATES);
  };
  // With types, an imported wrapper or cache may be what calls a callback on eviction.
  if (crossFile) listeners.ImportDeclaration = want;
  return listeners;
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
