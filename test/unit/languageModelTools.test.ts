/**
 * The agent-mode tools of the extension (src/host/languageModelTools.ts) against a minimal
 * stand-in for the `vscode` module: what they answer, and that package.json declares them.
 * (The real editor registers them in the integration tier.)
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

interface StubDocument {
  uri: { scheme: string; fsPath: string };
  fileName: string;
  getText(): string;
}

class TextPart {
  constructor(readonly value: string) {}
}
class ToolResult {
  constructor(readonly content: TextPart[]) {}
}

const registered = new Map<string, { invoke(options: { input: unknown }, token: unknown): unknown }>();
const textDocuments: StubDocument[] = [];

const vscodeStub = {
  Uri: {
    file: (fsPath: string) => ({ scheme: 'file', fsPath }),
    parse: (text: string) => ({ scheme: 'file', fsPath: text.replace(/^file:\/\//, '') }),
  },
  workspace: {
    textDocuments,
    workspaceFolders: [{ uri: { scheme: 'file', fsPath: root } }],
    getConfiguration: () => ({ get: () => undefined }),
  },
  lm: {
    registerTool: (name: string, tool: { invoke(options: { input: unknown }, token: unknown): unknown }) => {
      registered.set(name, tool);
      return { dispose: () => registered.delete(name) };
    },
  },
  LanguageModelTextPart: TextPart,
  LanguageModelToolResult: ToolResult,
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Loader };

async function invoke(name: string, input: unknown): Promise<string[]> {
  const tool = registered.get(name);
  assert.ok(tool, `${name} is not registered`);
  const result = (await tool.invoke({ input }, {})) as ToolResult;
  return result.content.map((part) => part.value);
}

describe('language model tools (agent mode)', () => {
  const originalLoad = moduleWithLoad._load;

  before(() => {
    moduleWithLoad._load = function (request, parent, isMain) {
      if (request === 'vscode') return vscodeStub;
      return originalLoad.call(this, request, parent, isMain);
    };
    const { registerLanguageModelTools } =
      require('../../src/host/languageModelTools') as typeof import('../../src/host/languageModelTools');
    assert.equal(registerLanguageModelTools().length, 2);
  });

  after(() => {
    moduleWithLoad._load = originalLoad;
  });

  it('are declared in package.json with the registered names and a required file', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: {
        languageModelTools: {
          name: string;
          displayName: string;
          modelDescription: string;
          inputSchema: { required: string[] };
        }[];
      };
    };
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((t) => t.name).sort(), [...registered.keys()].sort());
    for (const tool of tools) {
      assert.ok(tool.displayName && tool.modelDescription, tool.name);
      assert.deepEqual(tool.inputSchema.required, ['file']);
    }
  });

  it('summarize answers the CLI JSON and table for a workspace-relative path', async () => {
    const [json, table] = await invoke('modelLens_summarize', { file: 'examples/mnistConvnet.ts' });
    const summary = JSON.parse(json!) as { file: string; models: { totalParams: number }[] };
    assert.equal(summary.file, 'examples/mnistConvnet.ts');
    assert.equal(summary.models[0]!.totalParams, 93322);
    assert.match(table!, /Total params: 93,322/);
  });

  it('checkShapes reports line 8 of the residual block, and "no shape errors" for the convnet', async () => {
    const [broken] = await invoke('modelLens_checkShapes', {
      file: path.join(root, 'examples/broken/residualWithoutProjection.ts'),
    });
    assert.match(broken!, /^8:26: error: add: /);
    assert.deepEqual(await invoke('modelLens_checkShapes', { file: 'examples/mnistConvnet.ts' }), ['no shape errors']);
  });

  it("uses an open document's unsaved text", async () => {
    const fileName = path.join(root, 'examples', 'mnistConvnet.ts');
    const text = readFileSync(fileName, 'utf8').replace(/units: 10\b/, 'units: 20');
    textDocuments.push({ uri: { scheme: 'file', fsPath: fileName }, fileName, getText: () => text });
    try {
      const [json] = await invoke('modelLens_summarize', { file: 'examples/mnistConvnet.ts' });
      const summary = JSON.parse(json!) as { models: { totalParams: number }[] };
      assert.notEqual(summary.models[0]!.totalParams, 93322);
    } finally {
      textDocuments.length = 0;
    }
  });

  it('throws a one-line error for an unreadable file', async () => {
    await assert.rejects(
      async () => invoke('modelLens_summarize', { file: 'examples/no-such-model.ts' }),
      (error: Error) => {
        assert.equal(error.message, 'no such file: examples/no-such-model.ts');
        return true;
      },
    );
    await assert.rejects(
      async () => invoke('modelLens_checkShapes', { file: 'examples' }),
      /examples is a directory, not a file/,
    );
  });
});
