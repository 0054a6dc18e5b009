/**
 * What an editor user waits for: the real ESLint language server (vscode-langservers-extracted) on
 * the editor fixture workspace with ESLint 9, from `didOpen` to the first pulled diagnostic (after
 * the initialize handshake; ESLint, the config and the plugin load in it), and from a `didChange` to
 * its pulled diagnostics. The peer is ESLint 9's `lintText` on the same text in this process, the
 * least an editor integration can cost.
 *
 *   tsx bench/language-server.ts [--write-readme]   run alone; `pnpm bench` runs it after the main table
 */
import { ESLint as ESLint9 } from 'eslint-v9';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { LanguageServerClient } from '../test/language-server/client.js';
import { editorWorkspace } from '../test/language-server/workspace.js';
import { writeReadmeSection } from './readme-section.js';

const TIMEOUT_MS = 30_000;
const FILE = 'src/client-cache.js';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export async function languageServerTable({ starts = 3, edits = 30 } = {}): Promise<string> {
  const workspace = editorWorkspace('eslint-v9');
  try {
    const path = join(workspace.dir, FILE);
    const uri = pathToFileURL(path).href;
    const text = readFileSync(path, 'utf8');
    // Each edit toggles a comment line, so every pull lints a new version with the report in it.
    const edited = (index: number): string => `${text}// edit ${index}\n`;

    const firstDiagnostic: number[] = [];
    const relint: number[] = [];
    for (let start = 0; start < starts; start += 1) {
      const client = await LanguageServerClient.start(workspace.dir, TIMEOUT_MS);
      try {
        const opened = performance.now();
        client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
        const diagnostics = await client.pullDiagnostics(uri, TIMEOUT_MS);
        firstDiagnostic.push(performance.now() - opened);
        if (diagnostics.length !== 1) throw new Error(`bench: expected 1 diagnostic after open, got ${JSON.stringify(diagnostics)}`);
        if (start > 0) continue;
        for (let index = 0; index < edits; index += 1) {
          const changed = performance.now();
          client.notify('textDocument/didChange', {
            textDocument: { uri, version: index + 2 },
            contentChanges: [{ text: edited(index) }],
          });
          const after = await client.pullDiagnostics(uri, TIMEOUT_MS);
          relint.push(performance.now() - changed);
          if (after.length !== 1) throw new Error(`bench: expected 1 diagnostic after edit ${index}, got ${after.length}`);
        }
      } finally {
        await client.stop(5_000);
      }
    }

    const eslint = new ESLint9({ cwd: workspace.dir });
    await eslint.lintText(text, { filePath: path });
    const lintText: number[] = [];
    for (let index = 0; index < edits; index += 1) {
      const started = performance.now();
      await eslint.lintText(edited(index), { filePath: path });
      lintText.push(performance.now() - started);
    }

    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    return [
      `Editor: vscode-eslint-language-server 4.10.0 with ESLint ${ESLint9.version}, pull diagnostics; medians of ${starts} server starts and ${edits} edits, Node ${process.version}.`,
      '',
      '| Measure | Value |',
      '| :-- | --: |',
      `| \`didOpen\` to first diagnostic (server initialized; ESLint, config and plugin loading) | ${ms(median(firstDiagnostic))} |`,
      `| \`didChange\` to its diagnostics | ${ms(median(relint))} |`,
      `| Peer: ESLint 9 \`lintText\` of the same text, in process | ${ms(median(lintText))} |`,
      `| **Re-lint after an edit / in-process \`lintText\`** | **${(median(relint) / median(lintText)).toFixed(2)}x** |`,
    ].join('\n');
  } finally {
    workspace.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const table = await languageServerTable();
  console.log(table);
  if (process.argv.includes('--write-readme')) writeReadmeSection('editor bench', table);
}
