import type { TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '@typescript-eslint/utils/ast-utils';

import type { Slot } from './callback-flow.js';
import type { EvictionPath } from './eviction-paths.js';
import type { CrossFile, FileView } from './file-view.js';
import type { Settings } from './settings.js';

import { isFunction, keyName, unwrap, walk } from './ast.js';
import { CACHE_LIBRARIES } from './cache-libraries.js';
import { slotsCalledOnEviction } from './call-graph.js';
import { namedSlots } from './callback-flow.js';
import { chain, evictionPaths } from './eviction-paths.js';
import { libraryHooks } from './library-hooks.js';
import { resolveFunction, resolveObject } from './references.js';

/** Eviction slots of other files, found once per file and settings. */
const slotsByFile = new WeakMap<Settings, WeakMap<FileView, readonly Slot[]>>();

/** Every slot through which a file calls back on eviction: named hooks, hooks forwarded to a library, and callbacks its eviction paths call. */
function evictionSlots(file: FileView, settings: Settings, crossFile: CrossFile): readonly Slot[] {
  let byFile = slotsByFile.get(settings);
  if (!byFile) slotsByFile.set(settings, (byFile = new WeakMap()));
  let slots = byFile.get(file);
  if (!slots) {
    // Set first: a file whose paths lead back to itself sees no slots rather than recursing.
    byFile.set(file, []);
    const hookSlots = libraryHooks(file).flatMap(({ slot }) => (slot ? [slot] : []));
    slots = [...namedSlots(file, settings), ...hookSlots, ...slotsCalledOnEviction(evictionPaths(file, settings, crossFile), settings, crossFile)];
    byFile.set(file, slots);
  }
  return slots;
}

/** `makeCache(…)` or `new CappedMap(…)` with the callee imported: worth asking the program about. */
function callsImported(call: TSESTree.CallExpression | TSESTree.NewExpression, file: FileView): boolean {
  let callee = unwrap(call.callee);
  while (callee.type === 'MemberExpression') callee = unwrap(callee.object);
  if (callee.type !== 'Identifier') return false;
  return findVariable(file.getScope(callee), callee)?.defs[0]?.type === 'ImportBinding';
}

/** Whether an argument hands over a function: inline, by name, or as a property of an options object. */
function handsFunction(argument: TSESTree.Node): boolean {
  const node = unwrap(argument);
  if (isFunction(node) || node.type === 'Identifier') return true;
  return node.type === 'ObjectExpression' && node.properties.some((property) => property.type === 'Property' && (isFunction(property.value) || property.value.type === 'Identifier'));
}

/** Files worth reading for their eviction slots: they name a cache library, an eviction path or a handler. */
const worthReadingBySettings = new WeakMap<Settings, (text: string) => boolean>();
function worthReadingFor(settings: Settings): (text: string) => boolean {
  let worthReading = worthReadingBySettings.get(settings);
  if (!worthReading) {
    worthReading = (text) => {
      if (CACHE_LIBRARIES.some(({ module }) => text.includes(module))) return true;
      const names = new Set(text.match(/[A-Za-z_$][\w$]*/gu));
      for (const name of names) if (settings.isEvictionName(name) || settings.isHandlerName(name)) return true;
      return false;
    };
    worthReadingBySettings.set(settings, worthReading);
  }
  return worthReading;
}

/**
 * With types: functions this file hands to a function or class of another file that calls them
 * on eviction (an imported wrapper forwarding its callback into `dispose`, an imported hand-rolled
 * cache taking `onEvict`). Each becomes an eviction path of this file.
 */
export function callbacksHandedToEviction(file: FileView, settings: Settings, crossFile: CrossFile): EvictionPath[] {
  const paths: EvictionPath[] = [];
  const worthReading = worthReadingFor(settings);
  walk(file.ast, file.visitorKeys, (node) => {
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return;
    if (!node.arguments.some(handsFunction) || !callsImported(node, file)) return;
    const target = crossFile.referencedFunction(node.callee, file, { construct: node.type === 'NewExpression', worthReading });
    if (!target || target.file === file) return;
    for (const slot of evictionSlots(target.file, settings, crossFile)) {
      if (slot.fn !== target.fn) continue;
      const argument = node.arguments[slot.index];
      if (!argument || argument.type === 'SpreadElement') continue;
      let handed: TSESTree.Node | undefined = argument;
      if (slot.key !== undefined) {
        const property = resolveObject(argument, file)?.properties.find(
          (candidate): candidate is TSESTree.Property => candidate.type === 'Property' && keyName(candidate.key, candidate.computed) === slot.key,
        );
        handed = property?.value;
      }
      const fn = handed && resolveFunction(handed, file);
      const callee = file.getText(node.callee);
      if (fn) paths.push({ fn, file, describe: (via) => `when \`${callee}\` (${target.file.otherFile}) drops an entry (${chain([slot.name, ...via])})` });
    }
  });
  return paths;
}
