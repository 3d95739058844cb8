/**
 * Model Lens in Restricted Mode (an untrusted workspace; run.mjs's `restricted` pass): the
 * lenses and the Model Graph still work (the analysis never runs workspace code) and training,
 * which runs the model file's code, is refused without opening a panel.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { example, extension, lenses, open, waitFor } from './helpers';

/** The open webview panels of Model Lens's training view type. */
function trainingTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('modelLens.training'));
}

describe('Model Lens in Restricted Mode', () => {
  const mnist = (): vscode.Uri => example('mnistConvnet.ts');

  it('runs in an untrusted workspace', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace should be in Restricted Mode for this pass');
    await open(mnist());
    await waitFor('the extension to activate', () => (extension().isActive ? true : undefined));
  });

  it('still shows shapes and parameter counts', async () => {
    const titles = await waitFor('the model lenses', async () => {
      const current = (await lenses(mnist())).map((lens) => lens.command?.title ?? '');
      return current.some((t) => t.includes('93,322')) ? current : undefined;
    });
    assert.ok(
      titles.some((t) => t.includes('(None, 26, 26, 32) · 320 params')),
      `lenses:\n  ${titles.join('\n  ')}`,
    );
  });

  it('refuses to train from the ▶ Train lens and opens no panel', async () => {
    const train = (await lenses(mnist())).find((lens) => lens.command?.command === 'modelLens.trainModel');
    assert.ok(train?.command, 'no ▶ Train lens');
    const outcome = await vscode.commands.executeCommand(train.command.command, ...(train.command.arguments ?? []));
    assert.equal(outcome, 'restricted');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      trainingTabs().map((tab) => tab.label),
      [],
    );
  });

  it('draws the model graph from the ⎇ Graph lens (the analysis only; nothing runs)', async () => {
    const graph = (await lenses(mnist())).find((lens) => lens.command?.command === 'modelLens.showModelGraph');
    assert.ok(graph?.command, 'no ⎇ Graph lens');
    await vscode.commands.executeCommand(graph.command.command, ...(graph.command.arguments ?? []));
    const tab = await waitFor('the Model Graph panel', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find(
          (t) =>
            t.input instanceof vscode.TabInputWebview &&
            t.input.viewType.endsWith('modelLens.graph') &&
            t.label === 'Graph: model',
        ),
    );
    await vscode.window.tabGroups.close(tab);
  });
});
