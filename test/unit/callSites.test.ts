/**
 * Builders at their call sites: a builder its own file never calls is shown for its calls in
 * the project's other files, with the numbers tfjs computes for those arguments.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import { chooseCallSites, findCallSites, functionsWanting, projectRoot, projectSourceFiles } from '../../src/node/callSites';
import { projectModuleHost } from '../../src/node/projectFiles';
import { ProjectAnalyzer } from '../../src/host/projectAnalyzer';
import { assertSoundAgainstTfjs } from '../support/soundCompare';

const MODEL = `const tf = require('@tensorflow/tfjs');
function createModel(hidden, inputs) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: hidden, inputShape: [inputs], activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}
module.exports = { createModel };
`;

describe('builders at their call sites', function () {
  let dir: string;
  let model: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'model-lens-sites-'));
    writeFileSync(path.join(dir, 'package.json'), '{}');
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    model = path.join(dir, 'src', 'model.js');
    writeFileSync(model, MODEL);
    writeFileSync(
      path.join(dir, 'src', 'train.js'),
      "const { createModel } = require('./model');\nconst HIDDEN = 9;\nconst a = createModel(HIDDEN, 4);\nconst b = createModel(16, 2);\nconst c = createModel(require('./data').width, 3);\n",
    );
    writeFileSync(path.join(dir, 'src', 'unrelated.js'), 'module.exports = 1;\n');
    writeFileSync(path.join(dir, 'node_modules', 'x', 'model.js'), "require('../../src/model').createModel(1, 1);\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const search = () => {
    const modules = projectModuleHost();
    return {
      files: projectSourceFiles(dir),
      root: dir,
      read: (f: string) => readFileSync(f, 'utf8'),
      analyze: (f: string, t: string) => analyzeSource(f, t, { modules }),
    };
  };

  it("finds the calls in the project's files (not in node_modules), with their arguments as data", function () {
    assert.equal(projectRoot(model), dir);
    const first = analyzeSource(model, MODEL, { modules: projectModuleHost() });
    assert.deepEqual([...functionsWanting(first)], ['createModel']);
    const sites = findCallSites(model, new Set(['createModel']), search()).get('createModel')!;
    assert.deepEqual(
      sites.map((s) => s.label),
      ['src/train.js:3', 'src/train.js:4', 'src/train.js:5'],
    );
    assert.deepEqual(sites[0]!.args, [9, 4]);
    assert.match(JSON.stringify(sites[2]!.args[0]), /\$unknown/);
  });

  it('shows the builder for the chosen call, as tfjs builds it with those arguments', function () {
    const sites = findCallSites(model, new Set(['createModel']), search());
    const file = path.join(__dirname, '..', 'fixtures', 'callSite-model.js');
    const first = assertSoundAgainstTfjs(file, MODEL, {
      driver: 'createModel(9, 4);',
      analysis: { callSites: chooseCallSites(sites) },
    });
    assert.equal(first.models[0]!.totalParams, 4 * 9 + 9 + 10);
    assert.deepEqual(first.models[0]!.callSite, { label: 'src/train.js:3', function: 'createModel', index: 0, count: 3 });
    assert.deepEqual(first.models[0]!.builderCall, { function: 'createModel', args: [9, 4] });
    const second = analyzeSource(file, MODEL, { callSites: chooseCallSites(sites, () => 1) });
    assert.equal(second.models[0]!.totalParams, 2 * 16 + 16 + 17);
    // A call whose argument is not known: what depends on it is unknown, never guessed.
    const third = analyzeSource(file, MODEL, { callSites: chooseCallSites(sites, () => 2) });
    assert.equal(third.models[0]!.layers[0]!.outputShape, null);
    assert.equal(third.models[0]!.builderCall, undefined);
  });

  it('in the editor: the caller is a dependency, and the lens switches to the next call', function () {
    const project = new ProjectAnalyzer({ openText: () => undefined, assumptions: () => ({}) });
    const r = project.analyze(model, MODEL);
    assert.equal(r.models[0]!.callSite?.label, 'src/train.js:3');
    assert.ok(r.dependencies?.includes(path.join(dir, 'src', 'train.js')));
    project.nextCallSite(model, 'createModel');
    assert.equal(project.analyze(model, MODEL).models[0]!.callSite?.label, 'src/train.js:4');
  });
});
