/** Parsing model files with the TypeScript parser (syntax only), and a small cache of parsed imports. */
import type * as ts from 'typescript';
import { tsApi } from './evaluator/syntaxKinds';

/** How TypeScript parses a file, from its extension (`.js` files as JavaScript, `.tsx` with JSX...). */
export function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return tsApi.ScriptKind.TSX;
  if (/\.jsx$/i.test(fileName)) return tsApi.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(fileName)) return tsApi.ScriptKind.JS;
  return tsApi.ScriptKind.TS;
}

/** Parses `text`; throws RangeError on syntax nested deeper than the parser's stack. */
export function parseModelFile(fileName: string, text: string): ts.SourceFile {
  // JSDoc is never read: skipping its parse makes a documented file cheaper to analyse.
  const options = { languageVersion: tsApi.ScriptTarget.Latest, jsDocParsingMode: tsApi.JSDocParsingMode.ParseNone };
  return tsApi.createSourceFile(fileName, text, options, false, scriptKind(fileName));
}

const MAX_CACHED = 400;
const cache = new Map<string, ts.SourceFile>();

/**
 * An imported module's syntax tree: parsed once per text, as a project's shared `config.ts` is
 * read again by every file that imports it. Undefined when the parser cannot read it.
 */
export function parseImported(fileName: string, text: string): ts.SourceFile | undefined {
  const hit = cache.get(fileName);
  if (hit !== undefined && hit.text === text) return hit;
  let sf: ts.SourceFile;
  try {
    sf = parseModelFile(fileName, text);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(fileName, sf);
  return sf;
}
