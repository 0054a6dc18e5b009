import type { Linter } from 'eslint';

import { ESLint as ESLint9 } from 'eslint-v9';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CodeAction, Diagnostic } from './language-server/client.js';
import type { EslintLine } from './language-server/workspace.js';

import { LanguageServerClient, applyEdits, editsFor } from './language-server/client.js';
import { editorWorkspace } from './language-server/workspace.js';

// The real `vscode-eslint-language-server` (vscode-langservers-extracted 4.10.0) on a workspace with
// an `eslint.config.js` that loads the built plugin, driven over stdio the way an editor drives it.
const RULE_ID = 'no-close-on-evict/no-close-on-evict';
const SERVER_TIMEOUT_MS = 15_000;
const FILE = 'src/client-cache.js';

// What the editor must show comes from the built plugin and from ESLint itself, not from constants.
const builtPlugin = (await import(pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href)).default as {
  rules: Record<string, { meta: { docs: { url: string } } }>;
};
const docsUrl = builtPlugin.rules['no-close-on-evict']!.meta.docs.url;

interface Session {
  client: LanguageServerClient;
  uri: string;
  text: string;
  remove: () => void;
}

async function openSession(eslint: EslintLine, settings: Record<string, unknown> = {}): Promise<Session> {
  const workspace = editorWorkspace(eslint);
  try {
    const client = await LanguageServerClient.start(workspace.dir, SERVER_TIMEOUT_MS, settings);
    const path = join(workspace.dir, FILE);
    const text = readFileSync(path, 'utf8');
    const uri = pathToFileURL(path).href;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text } });
    return { client, uri, text, remove: workspace.remove };
  } catch (error) {
    workspace.remove();
    throw error;
  }
}

async function closeSession(session: Session | undefined): Promise<void> {
  if (!session) return;
  try {
    await session.client.stop(5_000);
  } finally {
    session.remove();
  }
}

// Each request is bounded by SERVER_TIMEOUT_MS; the test's own bound leaves it room (the first pull
// loads ESLint, the config and the plugin, seconds on a busy machine).
describe('the ESLint language server with ESLint 9 and a flat config', { timeout: SERVER_TIMEOUT_MS + 5_000 }, () => {
  let session: Session;
  // ESLint's own report for the same file, through the same ESLint 9 and config file.
  let expected: Linter.LintMessage;

  beforeAll(async () => {
    session = await openSession('eslint-v9');
    const eslint = new ESLint9({ cwd: session.client.workspaceDir });
    const [result] = await eslint.lintFiles([FILE]);
    const [message] = result?.messages ?? [];
    if (!message) throw new Error(`ESLint 9 reported nothing on the editor fixture: ${JSON.stringify(result)}`);
    expected = message as Linter.LintMessage;
  }, 30_000);
  afterAll(() => closeSession(session), 10_000);

  let diagnostic: Diagnostic;

  it('answers a pull for diagnostics with the rule report, its range and its docs link', async () => {
    const diagnostics = await session.client.pullDiagnostics(session.uri, SERVER_TIMEOUT_MS);
    expect(expected).toMatchObject({ ruleId: RULE_ID, messageId: 'closeOnEvict' });
    expect(diagnostics, session.client.log.join('\n')).toEqual([
      {
        message: expected.message,
        severity: 1,
        source: 'eslint',
        code: RULE_ID,
        codeDescription: { href: docsUrl },
        range: {
          start: { line: expected.line - 1, character: expected.column - 1 },
          end: { line: expected.endLine! - 1, character: expected.endColumn! - 1 },
        },
      },
    ]);
    expect(docsUrl).toMatch(/^https:\/\/.+\/no-close-on-evict\.md$/u);
    diagnostic = diagnostics[0]!;
  });

  it("offers the rule's suggestion as a quick fix, and applying it edits the file as ESLint's suggestion does", async () => {
    const actions = await session.client.request<CodeAction[]>(
      'textDocument/codeAction',
      { textDocument: { uri: session.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } },
      SERVER_TIMEOUT_MS,
    );
    const [suggestion] = expected.suggestions ?? [];
    if (!suggestion) throw new Error('ESLint 9 gave the report no suggestion');
    const quickFix = actions.find((action) => action.title === `${suggestion.desc} (${RULE_ID})`);
    expect(quickFix, JSON.stringify(actions.map((action) => action.title))).toMatchObject({
      kind: 'quickfix',
      command: { command: 'eslint.applySuggestion' },
    });

    // The editor runs the action's command; the server answers with a workspace/applyEdit request.
    await session.client.request('workspace/executeCommand', quickFix!.command, SERVER_TIMEOUT_MS);
    expect(session.client.appliedEdits).toHaveLength(1);
    const edited = applyEdits(session.text, editsFor(session.client.appliedEdits[0]!, session.uri));
    const [from, to] = suggestion.fix.range;
    expect(edited).toBe(session.text.slice(0, from) + suggestion.fix.text + session.text.slice(to));
    expect(edited).not.toContain('client.close()');

    // The edit reaches the server as the editor's didChange; the next pull has no report left.
    session.client.notify('textDocument/didChange', {
      textDocument: { uri: session.uri, version: 2 },
      contentChanges: [{ text: edited }],
    });
    expect(await session.client.pullDiagnostics(session.uri, SERVER_TIMEOUT_MS)).toEqual([]);
  });

  it('reports again when an edit brings the close back', async () => {
    session.client.notify('textDocument/didChange', {
      textDocument: { uri: session.uri, version: 3 },
      contentChanges: [{ text: session.text }],
    });
    const diagnostics = await session.client.pullDiagnostics(session.uri, SERVER_TIMEOUT_MS);
    expect(diagnostics).toEqual([diagnostic]);
  });
});

describe.concurrent('the ESLint language server with ESLint 10', () => {
  // The published server build predates ESLint 10. It still lints with it through `loadESLint`,
  // unless the editor opts into the old experimental flat-config switch.
  const withSession = async <T>(settings: Record<string, unknown>, use: (session: Session) => Promise<T>): Promise<T> => {
    const session = await openSession('eslint', settings);
    try {
      return await use(session);
    } finally {
      await closeSession(session);
    }
  };

  it('reports with the default settings (`experimental.useFlatConfig` false)', async () => {
    const diagnostics = await withSession({}, (session) => session.client.pullDiagnostics(session.uri, SERVER_TIMEOUT_MS));
    expect(diagnostics.map(({ code, range }) => ({ code, line: range.start.line + 1 }))).toEqual([{ code: RULE_ID, line: 7 }]);
  }, 30_000);

  it('reports nothing with `experimental.useFlatConfig: true`, and logs why', async () => {
    const [diagnostics, log] = await withSession({ experimental: { useFlatConfig: true } }, async (session) => [
      await session.client.pullDiagnostics(session.uri, SERVER_TIMEOUT_MS),
      session.client.log.join('\n'),
    ] as const);
    expect(diagnostics).toEqual([]);
    expect(log).toContain("doesn't export a FlatESLint class");
  }, 30_000);
});
