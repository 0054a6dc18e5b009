import { fileURLToPath } from 'node:url';

/**
 * A directory as stack frames name the files under it: by path (CommonJS frames) and by file://
 * URL (ESM frames, %-encoded). `root` must end with a slash.
 */
export const harnessRoots = (root: URL): string[] => [fileURLToPath(root), root.href];

/** The harness's own code (its src/ or dist/ directory): frames under it are never the cache's or a client's. */
export const HARNESS_ROOTS: readonly string[] = harnessRoots(new URL('..', import.meta.url));

/** One folder of the harness's code (e.g. `settle`), as frames name it. */
export const harnessFolder = (name: string): string[] => HARNESS_ROOTS.map((root) => `${root}${name}/`);
