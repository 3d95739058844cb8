/**
 * The project's files as the CLI and the extension host read them for the analysis's imports:
 * from disk, or from `overlay` first (the editor's unsaved documents). Node-only.
 */
import * as fs from 'node:fs';
import { createModuleHost } from '../analysis/project/moduleResolver';
import type { FileView } from '../analysis/project/moduleResolver';
import type { ModuleHost } from '../analysis/project/moduleHost';

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Files on disk, with `overlay(file)` (an open document's text) winning when it gives one. */
export function projectFileView(overlay: (file: string) => string | undefined = () => undefined): FileView {
  return {
    fileExists: (file) => overlay(file) !== undefined || isFile(file),
    readFile: (file) => {
      const open = overlay(file);
      if (open !== undefined) return open;
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    directoryExists: isDirectory,
  };
}

/**
 * A module host over the project's files (see `projectFileView`); imports resolve with the
 * nearest `tsconfig.json` / `jsconfig.json` above each file, or `configDir`'s when given.
 */
export function projectModuleHost(overlay?: (file: string) => string | undefined, configDir?: string): ModuleHost {
  return createModuleHost(projectFileView(overlay), configDir === undefined ? {} : { configDir });
}
