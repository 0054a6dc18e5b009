#!/usr/bin/env bash
# Downstream compatibility check of @no-close-on-evict/e2e-harness on the Node 22+ lines:
# Node 24, msw 3, openai 7, undici 8, vitest 5 (the workspace suite covers Node 20 with
# msw 2 / openai 6 / undici 7 / vitest 4), and the newest copies of the other kinds' optional
# peers. It installs the packed packages with plain npm into a fresh project, as a downstream repo
# would, then runs compat/fixture/ with vitest 5 on Node 24. A second project installs only what
# the openai kind needs and runs compat/openai-only/check.mjs: optional peers stay out.
#
# Needs: the root build done first (`pnpm build`, or `pnpm test` which builds), npm, and the
# npm registry. Node 24 itself comes from the npm package `node@24`, installed into a temp dir.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
started=$SECONDS
tmp="$(mktemp -d "${TMPDIR:-/tmp}/no-close-on-evict-compat.XXXXXX")"
# COMPAT_KEEP=1 keeps the temp dir (packs, node24, project) for a look after a failure.
trap 'if [[ -n "${COMPAT_KEEP:-}" ]]; then echo "compat: kept $tmp"; else rm -rf "$tmp"; fi' EXIT

step() { printf '\n==> [%3ss] %s\n' "$((SECONDS - started))" "$*"; }
fail() { printf '\ncompat: FAIL: %s\n' "$*" >&2; exit 1; }
trap 'printf "\ncompat: FAIL: command at line %s exited with %s\n" "$LINENO" "$?" >&2' ERR
npm_flags=(--no-audit --no-fund --loglevel=error)

for pkg in cache-core e2e-harness; do
  [[ -f "$repo/packages/$pkg/dist/index.js" ]] || fail "packages/$pkg/dist is missing: run the root build first (npx -y pnpm@12 build)"
done

step "pack cache-core and e2e-harness (pnpm rewrites workspace:^)"
mkdir -p "$tmp/packs"
for pkg in @no-close-on-evict/cache-core @no-close-on-evict/e2e-harness; do
  (cd "$repo" && timeout 90 npx -y pnpm@12 --filter "$pkg" pack --pack-destination "$tmp/packs" >/dev/null)
done
shopt -s nullglob
core_tgz=("$tmp"/packs/no-close-on-evict-cache-core-*.tgz)
harness_tgz=("$tmp"/packs/no-close-on-evict-e2e-harness-*.tgz)
shopt -u nullglob
[[ ${#core_tgz[@]} -eq 1 && ${#harness_tgz[@]} -eq 1 ]] || fail "expected one tarball per package in $tmp/packs: $(ls "$tmp/packs")"
ls -1 "$tmp/packs"

step "install Node 24 (npm package node@24) into a temp dir"
mkdir -p "$tmp/node24"
(cd "$tmp/node24" && echo '{ "private": true }' >package.json && timeout 180 npm "${npm_flags[@]}" install node@24 >/dev/null)
# From here on node, npm's own process and every install script run on Node 24.
export PATH="$tmp/node24/node_modules/.bin:$PATH"
[[ "$(node -v)" == v24.* ]] || fail "node on PATH is $(node -v), expected v24"

step "install the downstream project with npm (engine-strict, peers checked)"
project="$tmp/project"
mkdir -p "$project"
cp -R "$repo/compat/fixture/." "$project/"
cat >"$project/package.json" <<'JSON'
{
  "name": "no-close-on-evict-compat-downstream",
  "private": true,
  "type": "module"
}
JSON
(cd "$project" && timeout 300 npm "${npm_flags[@]}" install --engine-strict \
  msw@^3 openai@^7 undici@^8 vitest@^5 lru-cache@^11 \
  @anthropic-ai/sdk@^1 @modelcontextprotocol/sdk@^1 ws@^8 pg@^8 @electric-sql/pglite@^0.5 @electric-sql/pglite-socket@^0.2 \
  "${core_tgz[0]}" "${harness_tgz[0]}" >/dev/null) ||
  fail "npm install failed (a peer range or engine the packed harness does not accept?)"

step "versions installed"
(cd "$project" && node --input-type=module -e '
  import { readFileSync } from "node:fs";
  console.log(`node ${process.version} (${process.execPath})`);
  for (const name of ["msw", "openai", "undici", "vitest", "lru-cache", "@anthropic-ai/sdk", "@modelcontextprotocol/sdk", "ws", "pg",
    "@electric-sql/pglite", "@electric-sql/pglite-socket", "@no-close-on-evict/cache-core", "@no-close-on-evict/e2e-harness"]) {
    console.log(`${name} ${JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version}`);
  }
  const { peerDependencies } = JSON.parse(readFileSync("node_modules/@no-close-on-evict/e2e-harness/package.json", "utf8"));
  console.log(`harness peerDependencies ${JSON.stringify(peerDependencies)}`);
')

step "downstream suite: vitest 5 on Node 24"
vitest_exit=0
(cd "$project" && timeout 300 node_modules/.bin/vitest run --reporter=verbose --reporter=json \
  --outputFile.json="$tmp/results.json" --no-color) || vitest_exit=$?

step "a project using only the openai kind: install msw, openai, undici and the harness, nothing more"
slim="$tmp/openai-only"
mkdir -p "$slim"
cp "$repo/compat/openai-only/check.mjs" "$slim/"
echo '{ "name": "no-close-on-evict-compat-openai-only", "private": true, "type": "module" }' >"$slim/package.json"
(cd "$slim" && timeout 240 npm "${npm_flags[@]}" install --engine-strict \
  msw@^3 openai@^7 undici@^8 "${core_tgz[0]}" "${harness_tgz[0]}" >/dev/null) ||
  fail "npm install of the openai-only project failed"
slim_exit=0
(cd "$slim" && timeout 120 node check.mjs) || slim_exit=$?

summary_exit=0
node "$repo/compat/summarize.mjs" "$tmp/results.json" "$vitest_exit" || summary_exit=$?
[[ $slim_exit -eq 0 ]] || { echo "compat: openai-only project FAILED (exit $slim_exit)"; summary_exit=1; }
printf 'compat: wall time %ss\n' "$((SECONDS - started))"
exit "$summary_exit"
