/**
 * How the analysis reaches the other files of a project. It only reads them: an imported
 * module is evaluated by the same evaluator, never executed. The host (the CLI, the editor)
 * decides where files come from; in the editor, an open document's unsaved text.
 */

/** Where an import specifier leads. */
export type ModuleResolution =
  /** A file of the project, analysed when imported. */
  | { kind: 'file'; file: string }
  /** An installed package (not tfjs): its exports are unknown. */
  | { kind: 'package' }
  /** Nothing: the file does not exist (or is a type declaration only). */
  | { kind: 'missing' };

export interface ModuleHost {
  /** Resolves `specifier` as imported from `fromFile` (relative paths, `tsconfig` paths, packages). */
  resolve(specifier: string, fromFile: string): ModuleResolution;
  /** The text of a project file, or undefined when it cannot be read. */
  read(file: string): string | undefined;
}
