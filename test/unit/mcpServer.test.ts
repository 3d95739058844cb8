import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'model-lens.js');

interface TextResult {
  content: { type: string; text?: string }[];
  isError?: boolean;
}

function texts(result: unknown): string[] {
  return (result as TextResult).content.map((c) => {
    assert.equal(c.type, 'text');
    return c.text ?? '';
  });
}

describe('model-lens mcp (stdio MCP server)', function () {
  this.timeout(120000);
  let client: Client;
  let stderr = '';

  before(async function () {
    if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
      // Normally `npm test` builds first; build here when mocha runs on its own.
      const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], cwd: root, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    client = new Client({ name: 'model-lens-test', version: '0.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
  });

  it('lists the two tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ['modelLens_checkShapes', 'modelLens_summarize']);
    const summarize = byName.get('modelLens_summarize')!;
    assert.ok(summarize.description);
    assert.deepEqual(summarize.inputSchema.required, ['file']);
    assert.ok(summarize.inputSchema.properties?.['assume']);
    assert.deepEqual(byName.get('modelLens_checkShapes')!.inputSchema.required, ['file']);
  });

  it('summarizes the MNIST convnet: the CLI JSON, then a table', async () => {
    const result = await client.callTool({ name: 'modelLens_summarize', arguments: { file: 'examples/mnistConvnet.ts' } });
    assert.ok(!result.isError, texts(result).join('\n'));
    const [json, table] = texts(result);
    const summary = JSON.parse(json!) as { file: string; models: { totalParams: number }[]; diagnostics: unknown[] };
    assert.equal(summary.file, 'examples/mnistConvnet.ts');
    assert.equal(summary.models[0]!.totalParams, 93322);
    assert.deepEqual(summary.diagnostics, []);
    assert.match(table!, /Total params: 93,322/);
    // The same JSON as `model-lens summary FILE --json`.
    const cli = spawnSync(process.execPath, [bin, 'summary', 'examples/mnistConvnet.ts', '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(json, cli.stdout.trimEnd());
  });

  it('takes assumptions for builder parameters', async () => {
    const result = await client.callTool({
      name: 'modelLens_summarize',
      arguments: { file: 'examples/mnistConvnet.ts', assume: { 'createModel.h': 9 } },
    });
    assert.ok(!result.isError, texts(result).join('\n'));
    const bad = await client.callTool({
      name: 'modelLens_summarize',
      arguments: { file: 'examples/mnistConvnet.ts', assume: { nodot: 1 } },
    });
    assert.equal(bad.isError, true);
    assert.equal(texts(bad).length, 1);
    assert.doesNotMatch(texts(bad)[0]!, /\n/);
  });

  it('checks shapes: the residual block without projection fails on line 8', async () => {
    const result = await client.callTool({
      name: 'modelLens_checkShapes',
      arguments: { file: 'examples/broken/residualWithoutProjection.ts' },
    });
    assert.ok(!result.isError);
    const [text] = texts(result);
    assert.match(text!, /^8:26: error: add: the inputs \(None, 32, 32, 32\) and \(None, 32, 32, 64\) cannot be combined/);
    const fine = await client.callTool({ name: 'modelLens_checkShapes', arguments: { file: 'examples/mnistConvnet.ts' } });
    assert.deepEqual(texts(fine), ['no shape errors']);
  });

  it('answers an unreadable file with a one-line error result, no stack trace', async () => {
    for (const name of ['modelLens_summarize', 'modelLens_checkShapes']) {
      for (const file of ['examples/no-such-model.ts', 'examples']) {
        const result = await client.callTool({ name, arguments: { file } });
        assert.equal(result.isError, true, `${name} ${file}`);
        const [text] = texts(result);
        assert.match(text!, file === 'examples' ? /is a directory/ : /^no such file: examples\/no-such-model\.ts$/);
        assert.doesNotMatch(text!, /\n|\bat .*:\d+:\d+/);
      }
    }
    assert.doesNotMatch(stderr, /\bat .*:\d+:\d+/, 'no stack trace on stderr');
  });
});
