/** What the integration suite's files share: waiting, the extension, its examples, lenses. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'model-lens.model-lens';

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** An example file of the extension under test (its development folder). */
export function example(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(extension().extensionPath, 'examples', relative));
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

/** The CodeLenses VS Code would show for `uri` (resolved: with their commands). */
export async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  return (await lenses(uri)).map((lens) => lens.command?.title ?? '');
}

/**
 * Copies of example files (relative to examples/) in a fresh folder examples/tmp-`name`/, for a
 * test that edits them: the examples are the checkout's, and later sessions (the e2e tier)
 * read them, while an edited buffer can reach the disk however the test ends. `file(f)` is the
 * copy of f; `dispose()` reverts and closes the copies' editors and deletes the folder.
 */
export async function exampleCopies(
  name: string,
  files: string[],
): Promise<{ file(relative: string): vscode.Uri; dispose(): Promise<void> }> {
  const folder = example(`tmp-${name}`);
  const file = (relative: string): vscode.Uri => vscode.Uri.joinPath(folder, path.basename(relative));
  for (const relative of files)
    await vscode.workspace.fs.writeFile(file(relative), await vscode.workspace.fs.readFile(example(relative)));
  return {
    file,
    async dispose() {
      for (const document of vscode.workspace.textDocuments) {
        if (!document.uri.fsPath.startsWith(folder.fsPath + path.sep)) continue;
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    },
  };
}
