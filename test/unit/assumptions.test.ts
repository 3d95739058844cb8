/**
 * Values the user states for builder parameters no call gives (`modelLens.assumptions`, the
 * CLI's `--assume`): the shapes follow from them exactly as tfjs builds the model when its
 * program passes those values; the parameters still missing are listed for the editor.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import { runCli } from '../../src/cli';
import type { CliIo } from '../../src/cli';
import { assertSoundAgainstTfjs } from '../support/soundCompare';

const DQN = `import * as tf from '@tensorflow/tfjs';
export function createDeepQNetwork(h: number, w: number, numActions: number) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, inputShape: [h, w, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numActions }));
  return model;
}
export const build = ({ inputs, units = 4 }: { inputs: number; units?: number }) => {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units, inputShape: [inputs] }));
  return m;
};
`;

describe('values the user states for parameters', function () {
  it("give tfjs's shapes for the values the program would pass", function () {
    const file = path.join(__dirname, '..', 'fixtures', 'assumptions-dqn.ts');
    const assumptions = {
      'createDeepQNetwork.h': 9,
      'createDeepQNetwork.w': 9,
      'createDeepQNetwork.numActions': 4,
      'build.inputs': 3,
    };
    const r = assertSoundAgainstTfjs(file, DQN, {
      driver: 'createDeepQNetwork(9, 9, 4); build({ inputs: 3 });',
      analysis: { assumptions },
    });
    const [dqn, small] = r.models;
    assert.equal(dqn!.totalParams, 152 + 392 * 4 + 4);
    assert.deepEqual(dqn!.assumptions, [
      { key: 'createDeepQNetwork.h', value: 9 },
      { key: 'createDeepQNetwork.w', value: 9 },
      { key: 'createDeepQNetwork.numActions', value: 4 },
    ]);
    assert.equal(dqn!.openParameters, undefined);
    // A destructured parameter: the stated property, and the default for the one not stated.
    assert.deepEqual(small!.layers[0]!.outputShape, [null, 4]);
    // What Train calls to build the same models.
    assert.deepEqual(dqn!.builderCall, { function: 'createDeepQNetwork', args: [9, 9, 4] });
    assert.deepEqual(small!.builderCall, { function: 'build', args: [{ inputs: 3 }] });
  });

  it('a value stated for a parameter with a default wins over the default, as Train passes it', function () {
    const source = `import * as tf from '@tensorflow/tfjs';
export function dense(units = 8, inputs = 2) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units, inputShape: [inputs] }));
  return model;
}
`;
    const r = assertSoundAgainstTfjs(path.join(__dirname, '..', 'fixtures', 'assumptions-defaults.ts'), source, {
      driver: 'dense(16);',
      analysis: { assumptions: { 'dense.units': 16 } },
    });
    const [model] = r.models;
    assert.deepEqual(model!.layers[0]!.outputShape, [null, 16]);
    assert.equal(model!.totalParams, 2 * 16 + 16);
    assert.deepEqual(model!.assumptions, [{ key: 'dense.units', value: 16 }]);
    assert.deepEqual(model!.builderCall, { function: 'dense', args: [16, undefined] });
  });

  it('lists the parameters still needed, and only where something is unknown', function () {
    const r = analyzeSource('dqn.ts', DQN, { assumptions: { 'createDeepQNetwork.h': 9, 'createDeepQNetwork.w': 9 } });
    assert.deepEqual(r.models[0]!.openParameters, ['createDeepQNetwork.numActions']);
    assert.equal(r.models[0]!.builderCall, undefined);
    assert.deepEqual(r.models[1]!.openParameters, ['build.inputs']);
    assert.equal(r.models[0]!.layers[0]!.outputShape!.length, 4);
  });

  it('a method of a class is keyed CLASS.METHOD.PARAM, and its stated value is used', function () {
    const src = `import * as tf from '@tensorflow/tfjs';
export class Net {
  build(units: number) {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units }));
    return m;
  }
}
`;
    const open = analyzeSource('net.ts', src).models[0]!;
    assert.deepEqual(open.openParameters, ['Net.build.units']);
    assert.equal(open.totalParams, null);
    const stated = analyzeSource('net.ts', src, { assumptions: { 'Net.build.units': 3 } }).models[0]!;
    // 4×3 weights + 3 biases, as tfjs builds dense(units: 3) on 4 inputs.
    assert.equal(stated.totalParams, 15);
    assert.deepEqual(stated.layers[0]!.outputShape, [null, 3]);
    assert.deepEqual(stated.assumptions, [{ key: 'Net.build.units', value: 3 }]);
  });

  it('a value that is not plain JSON data is not used', function () {
    const r = analyzeSource('dqn.ts', DQN, { assumptions: { 'build.inputs': { nested: () => 1 } as unknown } });
    assert.equal(r.models[1]!.layers[0]!.outputShape, null);
  });

  describe("the CLI: --assume and the project's .vscode/settings.json give the same shapes", function () {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'model-lens-assume-'));
      writeFileSync(path.join(dir, 'package.json'), '{}');
      mkdirSync(path.join(dir, 'src'));
      writeFileSync(path.join(dir, 'src', 'dqn.ts'), DQN);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const run = (args: string[]): { status: number; stdout: string; stderr: string } => {
      const out = { stdout: '', stderr: '' };
      const io: CliIo = {
        stdout: (t) => void (out.stdout += t),
        stderr: (t) => void (out.stderr += t),
        readFile: (p) => readFileSync(p, 'utf8'),
      };
      const status = runCli(['summary', ...args], io);
      return { status, ...out };
    };

    it('gives the same table both ways, says what it assumes, and the flag wins', function () {
      const file = path.join(dir, 'src', 'dqn.ts');
      const flags = run([
        file,
        '--assume',
        'createDeepQNetwork.h=9',
        '--assume',
        'createDeepQNetwork.w=9',
        '--assume',
        'createDeepQNetwork.numActions=4',
      ]);
      assert.equal(flags.status, 0, flags.stderr);
      assert.match(flags.stdout, /line 3\) · assuming h = 9, w = 9, numActions = 4/);
      assert.match(flags.stdout, /Total params: 1,724/);
      mkdirSync(path.join(dir, '.vscode'), { recursive: true });
      writeFileSync(
        path.join(dir, '.vscode', 'settings.json'),
        '{\n  // stated once for the project\n  "modelLens.assumptions": { "createDeepQNetwork.h": 9, "createDeepQNetwork.w": 9, "createDeepQNetwork.numActions": 4 },\n}\n',
      );
      const settings = run([file]);
      assert.equal(settings.stdout, flags.stdout);
      const override = run([file, '--assume', 'createDeepQNetwork.numActions=2']);
      assert.match(override.stdout, /numActions = 2/);
    });

    it('a stated value wins over a default, and one nothing uses is named on stderr', function () {
      const file = path.join(dir, 'src', 'dqn.ts');
      const stated = run([file, '--assume', 'build.inputs=3', '--assume', 'build.units=6', '--assume', 'build.unitz=5']);
      assert.equal(stated.status, 0, stated.stderr);
      // build({ inputs: 3, units: 6 }) in tfjs: 3×6 + 6 parameters, as Train builds it.
      assert.match(stated.stdout, /assuming inputs = 3, units = 6[\s\S]*Total params: 24\n/);
      assert.equal(
        stated.stderr,
        'model-lens: --assume build.unitz was not used: no model in the files analysed depends on a parameter `unitz` of `build` that no call gives\n',
      );
    });

    it('a stated value that reaches the model through another function is used, not named on stderr', function () {
      const file = path.join(dir, 'src', 'relay.ts');
      writeFileSync(
        file,
        `import * as tf from '@tensorflow/tfjs';
function makeModel(u: number) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: u, inputShape: [4] }));
  return m;
}
export function build(units: number) {
  return makeModel(units);
}
`,
      );
      const relayed = run([file, '--assume', 'build.units=8']);
      assert.equal(relayed.stderr, '');
      assert.match(relayed.stdout, /Total params: 40\n/);
    });

    it('refuses a malformed --assume with one line, exit 2', function () {
      const bad = run([path.join(dir, 'src', 'dqn.ts'), '--assume', 'createDeepQNetwork.h=nine']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^model-lens: --assume createDeepQNetwork\.h: 'nine' is not JSON/);
    });
  });
});
