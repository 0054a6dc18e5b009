/**
 * A minimal LSP client for the real ESLint language server (`vscode-eslint-language-server` from
 * vscode-langservers-extracted), speaking JSON-RPC over the server's stdio the way an editor does.
 * Shared by the editor test and the bench. Every request is bounded by a timeout, so a server that
 * stops answering fails the caller with the method's name instead of hanging it.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packageDir = join(import.meta.dirname, '../..');
const serverBin = join(
  dirname(createRequire(join(packageDir, 'package.json')).resolve('vscode-langservers-extracted/package.json')),
  'bin/vscode-eslint-language-server',
);

interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Diagnostic {
  range: Range;
  message: string;
  severity?: number;
  source?: string;
  code?: string | number;
  codeDescription?: { href: string };
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface CodeAction {
  title: string;
  kind?: string;
  command?: { title: string; command: string; arguments?: unknown[] };
}
interface WorkspaceEdit {
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
  changes?: Record<string, TextEdit[]>;
}

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * The `eslint` settings object an editor sends for every `workspace/configuration` item: flat
 * config, lint as you type, working directory from the config file's location.
 */
function eslintSettings(workspaceDir: string, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    validate: 'on',
    run: 'onType',
    packageManager: 'npm',
    useESLintClass: false,
    useFlatConfig: true,
    experimental: { useFlatConfig: false },
    nodePath: null,
    workingDirectory: { mode: 'location' },
    workspaceFolder: { name: basename(workspaceDir), uri: pathToFileURL(workspaceDir).href },
    options: {},
    rulesCustomizations: [],
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    problems: { shortenToSingleLine: false },
    codeActionOnSave: { enable: false, mode: 'all' },
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
    ...overrides,
  };
}

export class LanguageServerClient {
  /** `window/logMessage` and `window/showMessage` texts, for failure messages. */
  readonly log: string[] = [];
  /** Workspace edits the server asked this client to apply (`workspace/applyEdit`). */
  readonly appliedEdits: WorkspaceEdit[] = [];

  readonly #server: ChildProcessWithoutNullStreams;
  readonly #workspaceDir: string;
  readonly #settings: Record<string, unknown>;
  readonly #pending = new Map<number, { method: string; resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #buffer = Buffer.alloc(0);
  #exited = false;

  private constructor(workspaceDir: string, settings: Record<string, unknown>) {
    this.#workspaceDir = workspaceDir;
    this.#settings = settings;
    this.#server = spawn(process.execPath, [serverBin, '--stdio'], { cwd: workspaceDir, stdio: 'pipe' });
    this.#server.stdout.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#server.stderr.on('data', (chunk: Buffer) => this.log.push(chunk.toString()));
    this.#server.on('exit', (code, signal) => {
      this.#exited = true;
      for (const { method, reject } of this.#pending.values()) {
        reject(new Error(`language server exited (${signal ?? code}) before answering ${method}\n${this.log.join('\n')}`));
      }
      this.#pending.clear();
    });
  }

  /**
   * Starts the server on `workspaceDir` and completes the initialize handshake. `settings` override
   * the editor's `eslint.*` settings (for instance `experimental: { useFlatConfig: true }`).
   */
  static async start(workspaceDir: string, timeoutMs: number, settings: Record<string, unknown> = {}): Promise<LanguageServerClient> {
    const client = new LanguageServerClient(workspaceDir, settings);
    const rootUri = pathToFileURL(workspaceDir).href;
    await client.request(
      'initialize',
      {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: basename(workspaceDir) }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, applyEdit: true },
          textDocument: {
            synchronization: { didSave: true },
            // Declaring pull diagnostics makes the server answer `textDocument/diagnostic` and push nothing.
            diagnostic: { dynamicRegistration: false },
            codeAction: {
              codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } },
            },
          },
        },
      },
      timeoutMs,
    );
    client.notify('initialized', {});
    return client;
  }

  get workspaceDir(): string {
    return this.#workspaceDir;
  }

  notify(method: string, params: unknown): void {
    this.#send({ jsonrpc: '2.0', method, params });
  }

  request<T>(method: string, params: unknown, timeoutMs: number): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`language server has exited; cannot send ${method}`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`language server did not answer ${method} within ${timeoutMs} ms\n${this.log.join('\n')}`));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#send({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Pulls the document's diagnostics, as an editor does after an open or an edit. */
  async pullDiagnostics(uri: string, timeoutMs: number): Promise<Diagnostic[]> {
    const report = await this.request<{ kind: string; items: Diagnostic[] }>(
      'textDocument/diagnostic',
      { textDocument: { uri } },
      timeoutMs,
    );
    return report.items;
  }

  /** Ends the server: the LSP shutdown/exit pair, then a kill if it is still running after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#server.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null, timeoutMs);
      this.notify('exit', null);
    } catch {
      // A server that cannot shut down cleanly is killed below.
    }
    const timer = setTimeout(() => this.#server.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  #send(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.#server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.#server.stdin.write(body);
  }

  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length: (\d+)/iu.exec(this.#buffer.subarray(0, headerEnd).toString('ascii'));
      if (!length) throw new Error(`language server sent a header without Content-Length: ${this.#buffer.subarray(0, headerEnd).toString()}`);
      const bodyStart = headerEnd + 4;
      const bodyEnd = bodyStart + Number(length[1]);
      if (this.#buffer.length < bodyEnd) return;
      const message = JSON.parse(this.#buffer.subarray(bodyStart, bodyEnd).toString('utf8')) as Message;
      this.#buffer = this.#buffer.subarray(bodyEnd);
      this.#dispatch(message);
    }
  }

  #dispatch(message: Message): void {
    if (message.method === undefined) {
      const pending = this.#pending.get(Number(message.id));
      if (!pending) return;
      this.#pending.delete(Number(message.id));
      if (message.error) pending.reject(new Error(`${pending.method} failed: ${message.error.message}`));
      else pending.resolve(message.result);
      return;
    }
    if (message.id === undefined) {
      if (message.method === 'window/logMessage' || message.method === 'window/showMessage') {
        this.log.push((message.params as { message: string }).message);
      }
      return;
    }
    // Requests from the server: answer each as an editor would.
    let result: unknown = null;
    if (message.method === 'workspace/configuration') {
      const { items } = message.params as { items: unknown[] };
      result = items.map(() => eslintSettings(this.#workspaceDir, this.#settings));
    } else if (message.method === 'workspace/applyEdit') {
      this.appliedEdits.push((message.params as { edit: WorkspaceEdit }).edit);
      result = { applied: true };
    }
    // client/registerCapability, workspace/diagnostic/refresh, window/workDoneProgress/create: null.
    this.#send({ jsonrpc: '2.0', id: message.id, result });
  }
}

/** The edits of `edit` for `uri`, whichever form (`documentChanges` or `changes`) the server used. */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const fromDocumentChanges = edit.documentChanges?.filter((change) => change.textDocument.uri === uri).flatMap((change) => change.edits);
  return fromDocumentChanges ?? edit.changes?.[uri] ?? [];
}

/** `text` with `edits` applied (LSP positions: zero-based lines, UTF-16 characters). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') lineStarts.push(index + 1);
  const offset = ({ line, character }: Position): number => (lineStarts[line] ?? text.length) + character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}
