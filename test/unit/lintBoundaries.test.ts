/**
 * The import boundaries between the rooms (eslint.config.mjs, ARCHITECTURE.md) are enforced:
 * a forbidden import fails the lint, an allowed one passes. Each case lints one line of code as
 * if it were a file at that path (the file need not exist).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const RULE = '@typescript-eslint/no-restricted-imports';

describe('lint: import boundaries', () => {
  let eslint: ESLint;
  before(async () => {
    eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });
    await eslint.lintText('\n', { filePath: path.join(root, 'src/shared/probe.ts') }); // loads the config and the parser
  });

  /** The boundary errors ESLint reports for `code` placed at `file`. */
  async function boundaryErrors(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(root, file) });
    const fatal = result.messages.filter((m) => m.fatal);
    assert.deepEqual(fatal, [], `${file} parses`);
    return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
  }

  const forbidden: [file: string, code: string][] = [
    ['src/analysis/probe.ts', "import * as vscode from 'vscode';"],
    ['src/analysis/evaluator/probe.ts', "import * as vscode from 'vscode';"],
    ['src/analysis/probe.ts', "import type { Uri } from 'vscode';"],
    ['src/analysis/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['src/analysis/probe.ts', "import * as path from 'path';"],
    ['src/analysis/probe.ts', "import * as tf from '@tensorflow/tfjs';"],
    ['src/analysis/probe.ts', "import { AnalysisCache } from '../host/analysisCache';"],
    ['src/analysis/layers/probe.ts', "import { AnalysisCache } from '../../host/analysisCache';"],
    ['src/analysis/probe.ts', "import { parseCsv } from '../data/csv';"],
    ['src/analysis/probe.ts', "export { formatSummary } from '../cliFormat';"],
    ['webview/ui/probe.ts', "import { AnalysisCache } from '../../src/host/analysisCache';"],
    ['webview/main.ts', "import { AnalysisCache } from '../src/host/analysisCache';"],
    ['webview/ui/probe.ts', "import { analyzeSource } from '../../src/analysis/analyze';"],
    ['webview/ui/probe.ts', "import * as vscode from 'vscode';"],
    ['webview/ui/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['src/cli.ts', "import * as vscode from 'vscode';"],
    ['src/cliFormat.ts', "import { AnalysisCache } from './host/analysisCache';"],
    ['src/shared/probe.ts', "import type { Shape } from '../analysis/types';"],
    ['src/shared/probe.ts', "import * as tf from '@tensorflow/tfjs';"],
  ];
  for (const [file, code] of forbidden) {
    it(`fails \`${code}\` in ${file}`, async () => {
      const errors = await boundaryErrors(file, code);
      assert.equal(errors.length, 1, `one boundary error, got ${JSON.stringify(errors)}`);
    });
  }

  const allowed: [file: string, code: string][] = [
    ['webview/ui/probe.ts', "import { formatCount } from '../../src/shared/format';"],
    ['webview/main.ts', "import type { HostToWebview } from '../src/shared/messages';"],
    ['webview/ui/probe.ts', "import * as tf from '@tensorflow/tfjs';"],
    ['webview/ui/probe.ts', "import { layerSection } from '../views/viewWidgets';"],
    ['src/analysis/probe.ts', "import * as ts from 'typescript';"],
    ['src/analysis/probe.ts', "import { formatShape } from '../shared/format';"],
    ['src/analysis/layers/probe.ts', "import { isShapeList } from '../../shared/format';"],
    ['src/analysis/layers/probe.ts', "import type { Shape } from '../types';"],
    ['src/shared/probe.ts', "import { seededRandom } from './random';"],
    ['src/cli.ts', "import { readFileSync } from 'node:fs';"],
    ['src/host/probe.ts', "import * as vscode from 'vscode';"],
  ];
  for (const [file, code] of allowed) {
    it(`passes \`${code}\` in ${file}`, async () => {
      assert.deepEqual(await boundaryErrors(file, code), []);
    });
  }
});
