/** Writes a graph image the page exported (SVG text or base64 PNG) where the user chooses. */
import * as vscode from 'vscode';
import type { Logger } from '../logger';

export async function saveGraphImage(
  format: 'svg' | 'png',
  fileName: string,
  data: string,
  near: vscode.Uri | undefined,
  log: Logger,
): Promise<void> {
  if ((format !== 'svg' && format !== 'png') || typeof data !== 'string') return;
  const safeName =
    String(fileName)
      .replace(/[^\w.\- ]+/g, '_')
      .slice(0, 120) || `model.${format}`;
  const folder = near ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, safeName) : undefined,
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    title: `Export the model graph as ${format.toUpperCase()}`,
  });
  if (!uri) return;
  try {
    const bytes = format === 'svg' ? new TextEncoder().encode(data) : Uint8Array.from(Buffer.from(data, 'base64'));
    await vscode.workspace.fs.writeFile(uri, bytes);
    void vscode.window.showInformationMessage(`Model Lens: saved the graph to ${vscode.workspace.asRelativePath(uri, false)}.`);
  } catch (error) {
    log.error('exporting the model graph', error);
    void vscode.window.showErrorMessage(
      `Model Lens: could not write ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
