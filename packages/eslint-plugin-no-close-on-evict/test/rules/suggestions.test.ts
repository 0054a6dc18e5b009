import type { Shape } from '../rule-harness.js';

import { runShapes } from '../rule-harness.js';

// The suggestion removes the close and nothing else: each case applies it and checks the
// eviction (or whatever else the statement does) is still there.
const keepsOtherEffects: Shape[] = [
  {
    name: 'delete && close keeps the delete',
    bad: `class Cache {\n  evict(k, c) {\n    this.m.delete(k) && c.close();\n  }\n}`,
    good: `class Cache {\n  evict(k, c) {\n    this.m.delete(k) && this.retired.add(c);\n  }\n}`,
    reports: [{ at: 'c.close()', fix: ['this.m.delete(k) && c.close();', 'this.m.delete(k);'] }],
  },
  {
    name: 'delete || close keeps the delete',
    bad: `class Cache {\n  evict(k, c) {\n    this.m.delete(k) || c.close();\n  }\n}`,
    good: `class Cache {\n  evict(k, c) {\n    this.m.delete(k) || this.retired.add(c);\n  }\n}`,
    reports: [{ at: 'c.close()', fix: ['this.m.delete(k) || c.close();', 'this.m.delete(k);'] }],
  },
  {
    name: 'take ?? close keeps the take',
    bad: `class Cache {\n  evict(k, c) {\n    this.take(k) ?? c.close();\n  }\n}`,
    good: `class Cache {\n  evict(k, c) {\n    this.take(k) ?? this.retired.add(c);\n  }\n}`,
    reports: [{ at: 'c.close()', fix: ['this.take(k) ?? c.close();', 'this.take(k);'] }],
  },
  {
    name: 'close().then(() => delete) keeps the delete, still after a tick',
    bad: `function evictOne(m, k, c) {\n  c.close().then(() => m.delete(k));\n}`,
    good: `function evictOne(m, k, c) {\n  Promise.resolve().then(() => m.delete(k));\n}`,
    reports: [{ at: 'c.close()', fix: ['c.close()', 'Promise.resolve()'] }],
  },
  {
    name: 'await close().finally(() => delete) keeps the delete',
    bad: `async function evictOne(m, k, c) {\n  await c.aclose().finally(() => m.delete(k));\n}`,
    good: `async function evictOne(m, k, c) {\n  await Promise.resolve().finally(() => m.delete(k));\n}`,
    reports: [{ at: 'c.aclose()', fix: ['c.aclose()', 'Promise.resolve()'] }],
  },
  {
    name: 'a receiver that removes the entry stays',
    bad: `class Cache {\n  evictOldest() {\n    this.takeOldest().close();\n  }\n}`,
    good: `class Cache {\n  evictOldest() {\n    this.takeOldest();\n  }\n}`,
    reports: [{ at: 'this.takeOldest().close()', fix: ['this.takeOldest().close();', 'this.takeOldest();'] }],
  },
  {
    name: 'an arrow body keeps the delete',
    bad: `const hooks = {\n  onEvict: (k, c) => this.m.delete(k) && c.close(),\n};`,
    good: `const hooks = {\n  onEvict: (k, c) => this.m.delete(k),\n};`,
    reports: [{ at: 'c.close()', fix: ['this.m.delete(k) && c.close()', 'this.m.delete(k)'] }],
  },
  {
    name: 'checks and swallowed rejections go with the close; a read receiver goes too',
    bad: `function evictOne(m, k, v) {\n  typeof v.close === 'function' && v.close();\n  hasSocket(v) && v.end();\n  m.get(k).destroy().catch(() => {});\n}`,
    good: `function evictOne(m, k, v) {\n  m.delete(k);\n}`,
    reports: [
      { at: 'v.close()', fix: ["typeof v.close === 'function' && v.close();", ''] },
      { at: 'v.end()', fix: ['hasSocket(v) && v.end();', ''] },
      { at: 'm.get(k).destroy()', fix: ['m.get(k).destroy().catch(() => {});', ''] },
    ],
  },
];

runShapes('suggestions keep every other effect', keepsOtherEffects);
