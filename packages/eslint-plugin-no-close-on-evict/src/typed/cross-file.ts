/**
 * Type information for the `*TypeChecked` configs: with the TypeScript program the parser built
 * (`parserServices.program`), find the function a call runs in another file, or the method of the
 * receiver's declared class, and the files this one imports. Other files are read into the same
 * ESTree shape with the parser ESLint already uses for this file, given the same program, so the
 * analysis runs on them unchanged. Nothing here loads TypeScript: the parser already has.
 */
import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import { basename } from 'node:path';

import type { CrossFile, FileView, FunctionInFile } from '../analysis/file-view.js';

import { isFunction, walk } from '../analysis/ast.js';

type NodeMaps = Pick<ParserServicesWithTypeInformation, 'esTreeNodeToTSNodeMap' | 'tsNodeToESTreeNodeMap'>;

interface ParsedFile {
  view: FileView;
  maps: NodeMaps;
}

interface ParserWithServices {
  parseForESLint: (
    text: string,
    options: Record<string, unknown>,
  ) => { ast: TSESTree.Program; scopeManager: TSESLint.Scope.ScopeManager; visitorKeys: TSESLint.SourceCode.VisitorKeys; services: NodeMaps };
}

/** ESLint's scope lookup, for a file ESLint does not lint: the innermost scope around `node`. */
function scopeLookup(scopeManager: TSESLint.Scope.ScopeManager): (node: TSESTree.Node) => TSESLint.Scope.Scope {
  return (node) => {
    for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
      const scope = scopeManager.acquire(current, current.type !== 'Program');
      if (scope) return scope.type === 'function-expression-name' ? scope.childScopes[0]! : scope;
    }
    return scopeManager.scopes[0]!;
  };
}

/** Other files of one program, read once per lint run (per program: an editor's program changes as files do). */
const filesByProgram = new WeakMap<ts.Program, Map<string, ParsedFile | null>>();
/** What a filter said about each file of a program: whether it is worth reading. */
const verdictsByProgram = new WeakMap<ts.Program, WeakMap<(text: string) => boolean, Map<string, boolean>>>();
/** Node maps of every file view, the linted ones included. */
const mapsByView = new WeakMap<FileView, NodeMaps>();

function hasParser(parser: unknown): parser is ParserWithServices {
  return typeof (parser as Partial<ParserWithServices> | undefined)?.parseForESLint === 'function';
}

/** Returns undefined without a program or a parser that can read other files with it. */
export function crossFileFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): CrossFile | undefined {
  const services = context.sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  const program = services?.program;
  const parser = (context.languageOptions as { parser?: unknown }).parser;
  if (!program || !services.esTreeNodeToTSNodeMap || !services.tsNodeToESTreeNodeMap || !hasParser(parser)) return undefined;
  const checker = program.getTypeChecker();
  const linted: ParsedFile = { view: context.sourceCode, maps: services as NodeMaps };
  const lintedName = program.getSourceFile(context.filename)?.fileName;

  let files = filesByProgram.get(program);
  if (!files) filesByProgram.set(program, (files = new Map()));
  const parserOptions = { ...(context.languageOptions.parserOptions as Record<string, unknown> | undefined) };

  const parse = (sourceFile: ts.SourceFile): ParsedFile | undefined => {
    if (sourceFile.fileName === lintedName) return linted;
    if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) return undefined;
    const known = files.get(sourceFile.fileName);
    if (known !== undefined) return known ?? undefined;
    let parsed: ParsedFile | null = null;
    try {
      const result = parser.parseForESLint(sourceFile.text, {
        ...parserOptions,
        sourceType: 'module',
        // The program this file's parse used: the other file's nodes map to the same checker.
        programs: [program],
        project: undefined,
        projectService: undefined,
        filePath: sourceFile.fileName,
      });
      // ESLint sets parents while it walks a file it lints; this one it does not.
      walk(result.ast, result.visitorKeys, (node) => {
        for (const key of result.visitorKeys[node.type] ?? []) {
          const child = (node as unknown as Record<string, unknown>)[key];
          for (const item of Array.isArray(child) ? child : [child]) {
            if (item && typeof item === 'object' && 'type' in item) (item as { parent: TSESTree.Node }).parent = node;
          }
        }
      });
      const text = sourceFile.text;
      parsed = {
        view: {
          ast: result.ast,
          scopeManager: result.scopeManager,
          visitorKeys: result.visitorKeys,
          getScope: scopeLookup(result.scopeManager),
          getText: (node?: TSESTree.Node | TSESTree.Token) => (node ? text.slice(node.range[0], node.range[1]) : text),
          otherFile: basename(sourceFile.fileName),
        } as FileView,
        maps: result.services,
      };
    } catch {
      // A file the parser cannot read with this program is one the analysis cannot follow into.
    }
    files.set(sourceFile.fileName, parsed);
    if (parsed) mapsByView.set(parsed.view, parsed.maps);
    return parsed ?? undefined;
  };
  mapsByView.set(linted.view, linted.maps);

  /** A filter's verdict on a file, kept per program like the files themselves. */
  const worthReadingOnce = (worthReading: (text: string) => boolean, sourceFile: ts.SourceFile): boolean => {
    let verdicts = verdictsByProgram.get(program)?.get(worthReading);
    if (!verdicts) {
      const byFilter = verdictsByProgram.get(program) ?? new WeakMap();
      verdictsByProgram.set(program, byFilter);
      byFilter.set(worthReading, (verdicts = new Map()));
    }
    let verdict = verdicts.get(sourceFile.fileName);
    if (verdict === undefined) verdicts.set(sourceFile.fileName, (verdict = worthReading(sourceFile.text)));
    return verdict;
  };

  /** The ESTree function of a declaration found through the checker, in whichever file holds it. */
  const functionOf = (declaration: ts.Declaration | undefined, worthReading?: (text: string) => boolean): FunctionInFile | undefined => {
    if (!declaration) return undefined;
    const sourceFile = declaration.getSourceFile();
    if (worthReading && !files.has(sourceFile.fileName) && !worthReadingOnce(worthReading, sourceFile)) return undefined;
    const parsed = parse(sourceFile);
    let node = parsed?.maps.tsNodeToESTreeNodeMap.get(declaration as never) as TSESTree.Node | undefined;
    if (node && (node.type === 'MethodDefinition' || node.type === 'Property' || node.type === 'PropertyDefinition')) node = node.value ?? undefined;
    if (node?.type === 'VariableDeclarator') node = node.init ?? undefined;
    return parsed && isFunction(node) && node.body ? { fn: node, file: parsed.view } : undefined;
  };

  const tsNode = (node: TSESTree.Node, file: FileView): ts.Node | undefined => mapsByView.get(file)?.esTreeNodeToTSNodeMap.get(node as never);

  return {
    calledFunction(call, file) {
      const node = tsNode(call, file);
      if (!node) return undefined;
      try {
        return functionOf(checker.getResolvedSignature(node as ts.CallLikeExpression)?.declaration as ts.Declaration | undefined);
      } catch {
        return undefined;
      }
    },
    referencedFunction(expression, file, { construct = false, worthReading } = {}) {
      const node = tsNode(expression, file);
      if (!node) return undefined;
      // The declared type, not the call's resolved signature: no overloads or inference to work out.
      const type = checker.getTypeAtLocation(node);
      const [signature] = construct ? type.getConstructSignatures() : type.getCallSignatures();
      return functionOf(signature?.declaration as ts.Declaration | undefined, worthReading);
    },
    importedFiles(file) {
      const found: FileView[] = [];
      for (const statement of file.ast.body) {
        const source = statement.type === 'ImportDeclaration' || statement.type === 'ExportAllDeclaration' || statement.type === 'ExportNamedDeclaration' ? statement.source : null;
        const specifier = source && tsNode(source, file);
        const module = specifier && checker.getSymbolAtLocation(specifier)?.valueDeclaration;
        const parsed = module && 'fileName' in module ? parse(module as ts.SourceFile) : undefined;
        if (parsed && parsed !== linted && !found.includes(parsed.view)) found.push(parsed.view);
      }
      return found;
    },
  };
}
