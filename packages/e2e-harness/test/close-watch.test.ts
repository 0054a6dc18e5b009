import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { framesAboveHarness } from '../src/tripwire/close-watch.js';
import { harnessRoots } from '../src/util/harness-files.js';

// A harness installed under a directory whose name a file:// URL %-encodes.
const root = new URL('file:///srv/my%20app/node_modules/@no-close-on-evict/e2e-harness/dist/');
const roots = harnessRoots(root);
const harnessFile = new URL('scenarios/run-case.js', root);
const userFrame = `    at dispose (${fileURLToPath(import.meta.url)}:3:7)`;
const nodeFrame = '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)';

describe('the close stack is cut where the harness begins', () => {
  it('at a frame naming the harness by path (CommonJS)', () => {
    const frames = [userFrame, `    at evictAndSettle (${fileURLToPath(harnessFile)}:1:1)`, nodeFrame];
    expect(framesAboveHarness(frames, roots)).toEqual([userFrame]);
  });

  it('at a frame naming the harness by %-encoded file:// URL (ESM)', () => {
    expect(harnessFile.href).toContain('my%20app');
    const frames = [userFrame, `    at evictAndSettle (${harnessFile.href}:1:1)`, nodeFrame];
    expect(framesAboveHarness(frames, roots)).toEqual([userFrame]);
  });

  it('not at all when no frame is the harness (negative control)', () => {
    const frames = [userFrame, nodeFrame];
    expect(framesAboveHarness(frames, roots)).toEqual(frames);
  });
});
