/**
 * Model Lens in a real VS Code: activation, CodeLenses, diagnostics and commands, through the
 * same `vscode` API calls the editor makes (executeCodeLensProvider, getDiagnostics, …).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { example, exampleCopies, extension, lensTitles, lenses, open, waitFor } from './helpers';

describe('Model Lens in VS Code', () => {
  const mnist = (): vscode.Uri => example('mnistConvnet.ts');
  const broken = (): vscode.Uri => example(path.join('broken', 'residualWithoutProjection.ts'));

  it('activates when a TypeScript model file is opened', async () => {
    const editor = await open(mnist());
    assert.equal(editor.document.languageId, 'typescript');
    await waitFor('the extension to activate', () => (extension().isActive ? true : undefined));
  });

  it('shows output shapes and parameter counts as CodeLenses', async () => {
    await open(mnist());
    const titles = await waitFor('the model lenses', async () => {
      const current = await lensTitles(mnist());
      return current.some((t) => t.includes('93,322')) ? current : undefined;
    });
    assert.ok(
      titles.some((t) => t.includes('(None, 26, 26, 32) · 320 params')),
      `no lens for the first conv2d; lenses:\n  ${titles.join('\n  ')}`,
    );
    assert.ok(
      titles.some((t) => t.includes('93,322')),
      `no lens with the total 93,322; lenses:\n  ${titles.join('\n  ')}`,
    );
  });

  it('reports the shape error of the residual add in Problems', async () => {
    await open(broken());
    const errors = await waitFor('a Model Lens error', () => {
      const found = vscode.languages
        .getDiagnostics(broken())
        .filter((d) => d.source === 'Model Lens' && d.severity === vscode.DiagnosticSeverity.Error);
      return found.length > 0 ? found : undefined;
    });
    const onAdd = errors.find((d) => d.range.start.line === 7);
    assert.ok(onAdd, `no error on line 8; errors: ${errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`);
    assert.match(onAdd.message, /\badd\b/);
    assert.match(onAdd.message, /\(None, 32, 32, 32\) and \(None, 32, 32, 64\)/);
  });

  it('reads sizes imported from another file, and follows an unsaved edit of it', async () => {
    const copies = await exampleCopies('sizes', ['project/classifier.ts', 'project/config.ts', 'project/blocks.ts']);
    try {
      const classifier = copies.file('classifier.ts');
      await open(classifier);
      await waitFor('the lens with the imported sizes', async () =>
        (await lensTitles(classifier)).some((t) => t.includes('101,770')) ? true : undefined,
      );
      const configEditor = await open(copies.file('config.ts'));
      const at = configEditor.document.getText().indexOf('HIDDEN_UNITS = 128');
      assert.ok(at >= 0, 'config.ts sets HIDDEN_UNITS = 128');
      const range = new vscode.Range(
        configEditor.document.positionAt(at),
        configEditor.document.positionAt(at + 'HIDDEN_UNITS = 128'.length),
      );
      assert.ok(await configEditor.edit((e) => e.replace(range, 'HIDDEN_UNITS = 64')));
      // 784×64 + 64 + 64×10 + 10, before config.ts is saved.
      const titles = await waitFor('the lens after the unsaved edit', async () => {
        const current = await lensTitles(classifier);
        return current.some((t) => t.includes('50,890')) ? current : undefined;
      });
      assert.ok(
        titles.some((t) => t.includes('(None, 64) · 50,240 params')),
        titles.join('\n'),
      );
    } finally {
      await copies.dispose();
    }
  });

  it('a file created on disk makes its importers known', async () => {
    const importer = example(path.join('project', 'tmpImporter.ts'));
    const sizes = example(path.join('project', 'tmpSizes.ts'));
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    try {
      await vscode.workspace.fs.writeFile(
        importer,
        encode(
          "import * as tf from '@tensorflow/tfjs';\nimport { UNITS } from './tmpSizes';\n\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({ inputShape: [4], units: UNITS }));\n",
        ),
      );
      await open(importer);
      await waitFor('the lens of the model whose size is not known yet', async () =>
        (await lensTitles(importer)).some((t) => t.startsWith('Sequential · ? params')) ? true : undefined,
      );
      await vscode.workspace.fs.writeFile(sizes, encode('export const UNITS = 7;\n'));
      const titles = await waitFor('the lens once tmpSizes.ts exists', async () => {
        const current = await lensTitles(importer);
        return current.some((t) => t.includes('(None, 7) · 35 params')) ? current : undefined;
      });
      assert.ok(titles.length > 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of [importer, sizes]) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });

  it('shows a builder this file never calls for its calls in a sibling file, and switches between them', async () => {
    const builder = example(path.join('project', 'autoencoder.ts'));
    await open(builder);
    const first = await waitFor('the lens for the first call', async () => {
      const titles = await lensTitles(builder);
      return titles.some((t) => t.includes('209,968') && t.includes('for project/train.ts:5')) ? titles : undefined;
    });
    const next = (await lenses(builder)).find((l) => l.command?.title === 'Show for another call (1 of 2)');
    assert.ok(next?.command, first.join('\n'));
    await vscode.commands.executeCommand(next.command.command, ...(next.command.arguments ?? []));
    await waitFor('the lens for the second call', async () =>
      (await lensTitles(builder)).some((t) => t.includes('17,218') && t.includes('for project/train.ts:6')) ? true : undefined,
    );
  });

  it('shows inlay hints instead of CodeLenses when modelLens.display says so', async () => {
    const editor = await open(mnist());
    const config = vscode.workspace.getConfiguration('modelLens');
    await config.update('display', 'inlayHints', vscode.ConfigurationTarget.Global);
    try {
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      const labels = await waitFor('the inlay hints', async () => {
        const hints =
          (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', mnist(), whole)) ?? [];
        const text = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
        return text.some((t) => t.includes('(None, 26, 26, 32) · 320 params')) ? text : undefined;
      });
      assert.ok(
        labels.some((t) => t.includes('93,322')),
        labels.join('\n'),
      );
      await waitFor('the CodeLenses to go', async () => ((await lensTitles(mnist())).length === 0 ? true : undefined));
    } finally {
      await config.update('display', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('offers a quick fix that removes the error it is on', async () => {
    const copies = await exampleCopies('quickfix', ['broken/stackedLstmWithoutReturnSequences.ts']);
    try {
      const stacked = copies.file('stackedLstmWithoutReturnSequences.ts');
      const editor = await open(stacked);
      const modelLensErrors = (): vscode.Diagnostic[] =>
        vscode.languages
          .getDiagnostics(stacked)
          .filter((d) => d.source === 'Model Lens' && d.severity === vscode.DiagnosticSeverity.Error);
      const error = await waitFor('the ndim error', () => modelLensErrors()[0]);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        stacked,
        error.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title.includes('returnSequences: true'));
      assert.ok(fix?.edit, `no returnSequences fix; actions: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(editor.document.getText(), /returnSequences: true/);
      await waitFor('the error to go', () => (modelLensErrors().length === 0 ? true : undefined));
    } finally {
      await copies.dispose();
    }
  });

  it('refuses to train a model with a shape error, pointing at it, and opens no panel', async () => {
    const stacked = example(path.join('broken', 'stackedLstmWithoutReturnSequences.ts'));
    await open(stacked);
    const titles = await waitFor('the Train lens with the error line', async () => {
      const current = await lensTitles(stacked);
      return current.some((t) => t === '▶ Train (fix line 16 first)') ? current : undefined;
    });
    assert.ok(titles.length > 0);
    const outcome = await vscode.commands.executeCommand<string>('modelLens.trainModel', stacked.toString(), 'deepLstm', 14);
    assert.equal(outcome, 'has-errors');
    const panels = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    assert.equal(panels.length, 0, 'no training panel opened');
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('modelLens.trainModel'), 'modelLens.trainModel is not registered');
    assert.ok(commands.includes('modelLens.showSummary'), 'modelLens.showSummary is not registered');
    assert.ok(commands.includes('modelLens.showModelGraph'), 'modelLens.showModelGraph is not registered');
  });

  it('registers its tools for agents', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    assert.ok(names.includes('modelLens_summarize') && names.includes('modelLens_checkShapes'), names.join(', '));
  });

  it('opens the model graph beside the file', async () => {
    await open(example('residualBlock.ts'));
    await vscode.commands.executeCommand('modelLens.showModelGraph');
    // The panel is titled after its model once its page has asked for the graph.
    const tab = await waitFor('the Model Graph panel of resnet', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find(
          (t) =>
            t.input instanceof vscode.TabInputWebview &&
            t.input.viewType.endsWith('modelLens.graph') &&
            t.label === 'Graph: resnet',
        ),
    );
    await vscode.window.tabGroups.close(tab);
  });

  it('opens a saved model.json in the saved-model editor', async () => {
    const saved = vscode.Uri.file(
      path.join(extension().extensionPath, 'test/fixtures/savedModels/AffanKhurram__HandwrittenDigits__mnist-convnet/model.json'),
    );
    await vscode.commands.executeCommand('vscode.open', saved);
    const tab = await waitFor('the saved-model editor', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'modelLens.savedModel'),
    );
    assert.equal((tab.input as vscode.TabInputCustom).uri.fsPath, saved.fsPath);
    await vscode.window.tabGroups.close(tab);
  });

  it('shows the model summary beside the file', async () => {
    await open(mnist());
    await vscode.commands.executeCommand('modelLens.showSummary');
    const summary = await waitFor('the summary editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'model-lens-summary'),
    );
    const text = summary.document.getText();
    assert.match(text, /conv2d_1 \(Conv2D\)\s+\(None, 26, 26, 32\)\s+320/);
    assert.match(text, /Total params: 93,322/);
  });
});
