/**
 * The seed of every fast-check property here: the same cases on every run, so CI never flakes
 * and a failure reproduces. `FC_SEED=<n> npx vitest run --project cache-core` explores others.
 */
export const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20_260_313);
