import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { ReachedClose } from '../analysis/call-graph.js';
import type { EvictionPath } from '../analysis/eviction-paths.js';
import type { NoCloseOnEvictOptions, Settings } from '../options.js';

import { isFunction } from '../analysis/ast.js';
import { findClosesOnPath } from '../analysis/call-graph.js';
import { evictionPaths, namedEvictionPath } from '../analysis/eviction-paths.js';
import { evictionPathSelectors } from '../analysis/file-triggers.js';
import { compileSettings, defaultOptions } from '../options.js';
import { createRule } from '../util/create-rule.js';

export type MessageIds = 'closeOnEvict' | 'closeOnEvictGuarded' | 'removeClose';
export type Options = [NoCloseOnEvictOptions];

const stringList = (description: string) => ({
  type: 'array' as const,
  description,
  items: { type: 'string' as const },
  uniqueItems: true,
});

/** The whole statement or arrow body a removal suggestion deletes, and its replacement. */
function removal(
  node: TSESTree.Node,
): { range: TSESTree.Range; replacement: string } | undefined {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return undefined;
    const wraps =
      parent.type === 'AwaitExpression' ||
      parent.type === 'ChainExpression' ||
      parent.type === 'TSNonNullExpression' ||
      (parent.type === 'UnaryExpression' && parent.operator === 'void') ||
      // `typeof v.close === 'function' && v.close()`
      (parent.type === 'LogicalExpression' && parent.right === current) ||
      // `v.close().catch(() => {})`
      (parent.type === 'MemberExpression' && parent.object === current && parent.parent.type === 'CallExpression');
    if (wraps) {
      current = parent.type === 'MemberExpression' ? parent.parent : parent;
      continue;
    }
    if (parent.type === 'ExpressionStatement') {
      const list = parent.parent.type === 'BlockStatement' || parent.parent.type === 'Program' || parent.parent.type === 'SwitchCase';
      return { range: parent.range, replacement: list ? '' : '{}' };
    }
    if (parent.type === 'ArrowFunctionExpression' && parent.body === current) {
      return { range: current.range, replacement: '{}' };
    }
    return undefined;
  }
}

type Context = Readonly<TSESLint.RuleContext<MessageIds, Options>>;

/** Reports each close reached from an eviction path of the file, once. */
function reportClosesOnEviction(context: Context, settings: Settings): void {
  // One report per close: unguarded wins over guarded when several paths reach it.
  const reports = new Map<TSESTree.Node, { path: EvictionPath; reached: ReachedClose }>();
  for (const path of evictionPaths(context.sourceCode, settings)) {
    findClosesOnPath(path.fn, settings, context.sourceCode, (reached) => {
      if (reached.guarded && !settings.reportGuarded) return;
      const previous = reports.get(reached.site.node);
      if (!previous || (previous.reached.guarded && !reached.guarded)) {
        reports.set(reached.site.node, { path, reached });
      }
    });
  }

  for (const { path, reached } of reports.values()) {
    const data = { call: reached.site.label, path: path.describe(reached.via) };
    // A close inside a helper the path calls may serve other callers too (shutdown, say).
    const fix = reached.via.length === 0 ? removal(reached.site.node) : undefined;
    context.report({
      node: reached.site.node,
      messageId: reached.guarded ? 'closeOnEvictGuarded' : 'closeOnEvict',
      data,
      suggest: fix
        ? [
            {
              messageId: 'removeClose',
              data,
              fix: (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange(fix.range, fix.replacement),
            },
          ]
        : [],
    });
  }
}

function create(context: Context): TSESLint.RuleListener {
  // ESLint (9.15 and later, our floor) has merged `meta.defaultOptions` into `context.options`.
  const settings = compileSettings(context.options[0]);
  // The selectors pick out an eviction-named function or a cache-library import; the first node
  // that really is one has the whole file analysed (parents and scopes are ready before rules run).
  let analysed = false;
  const analyse = (node: TSESTree.Node): void => {
    if (analysed || (isFunction(node) && !namedEvictionPath(node, settings))) return;
    analysed = true;
    reportClosesOnEviction(context, settings);
  };
  const listeners: Record<string, typeof analyse> = {};
  for (const selector of evictionPathSelectors(settings)) listeners[selector] = analyse;
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
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          evictionNames: stringList('Regular expressions for names of functions and methods that evict cache entries.'),
          handlerNames: stringList('Regular expressions for names of eviction handlers (callbacks run for a dropped entry).'),
          closingMethods: stringList('Method names that close the value they are called on.'),
          closerHelpers: stringList('Regular expressions for helper names that close their first argument.'),
          shutdownNames: stringList('Names of the cache\'s own teardown methods, never reported when called on `this` or as functions.'),
          inUseGuards: stringList('Case-insensitive regular expressions for identifiers that make a condition an in-use check.'),
          reportGuarded: {
            type: 'boolean',
            description: 'Also report closes behind an in-use check.',
          },
          maxDepth: {
            type: 'integer',
            minimum: 0,
            maximum: 16,
            description: 'How many same-file calls deep to follow from an eviction path.',
          },
        },
      },
    ],
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
