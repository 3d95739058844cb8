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
 * Runs `edit` on an example file and leaves the file as it was, in the editor and on disk: the
 * example folder is the checkout's, and later test sessions (the e2e tier) read it. Reverting
 * the active editor alone is not enough: another editor may be active by then, and a buffer left
 * dirty can reach the disk.
 */
export async function withExampleEdit<T>(uri: vscode.Uri, edit: (editor: vscode.TextEditor) => Promise<T>): Promise<T> {
  const original = await vscode.workspace.fs.readFile(uri);
  const editor = await open(uri);
  try {
    return await edit(editor);
  } finally {
    const document = editor.document;
    if (document.isDirty) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    const onDisk = await vscode.workspace.fs.readFile(uri);
    if (Buffer.compare(Buffer.from(onDisk), Buffer.from(original)) !== 0) await vscode.workspace.fs.writeFile(uri, original);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.ok(!document.isDirty, `${path.basename(uri.fsPath)} was left with unsaved changes`);
  }
}
