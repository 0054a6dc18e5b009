import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from './ast.js';

/**
 * What the analysis reads of a file: ESLint's `SourceCode` for the file being linted, or the same
 * view of another file of the TypeScript program (type-checked configs only).
 */
export type FileView = Pick<TSESLint.SourceCode, 'ast' | 'getScope' | 'getText' | 'scopeManager' | 'visitorKeys'> & {
  /** Set on other files of the program: how a report names the file (`closers.ts:3`). */
  readonly otherFile?: string;
};

/** A function and the file it is in. */
export interface FunctionInFile {
  fn: FunctionNode;
  file: FileView;
}

/**
 * What type information adds: the functions a call or a reference reaches in other files (or on
 * the receiver's class), and the files this one imports. Implemented in `typed/` with the
 * program from `parserServices`; the analysis never loads TypeScript itself.
 */
export interface CrossFile {
  /** The function a call runs: an imported function, or a method of the receiver's declared type. */
  calledFunction: (call: TSESTree.CallExpression | TSESTree.NewExpression, file: FileView) => FunctionInFile | undefined;
  /**
   * The function an expression names (`finish` in `setTimeout(finish, 0, c)`), through imports,
   * by its declared type: with `construct`, the constructor of the class it names. A file not
   * read yet is read only if `worthReading` says so of its text.
   */
  referencedFunction: (
    expression: TSESTree.Node,
    file: FileView,
    options?: { construct?: boolean; worthReading?: (text: string) => boolean },
  ) => FunctionInFile | undefined;
  /** The other files of the program this file imports. */
  importedFiles: (file: FileView) => readonly FileView[];
}
