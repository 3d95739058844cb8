/**
 * Every member of `tf.layers` in the installed tfjs is either in the layer table or listed, with
 * a reason, in UNSUPPORTED_FACTORIES: a tfjs upgrade that adds a layer fails here until the
 * layer gets a spec (or a reason).
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { findLayerSpec } from '../../src/analysis/layers/layerTable';
import { UNSUPPORTED_FACTORIES } from '../../src/analysis/layers/unsupportedFactories';

const members = Object.keys(tf.layers).sort();

describe('tf.layers factories', () => {
  it('the installed tfjs has layer factories to check', () => {
    assert.ok(members.length > 50, `only ${members.length} members in tf.layers`);
    assert.ok(members.includes('dense'));
  });

  it('every tf.layers member is supported or listed as deliberately unsupported', () => {
    const missing = members.filter((name) => findLayerSpec(name) === undefined && !Object.hasOwn(UNSUPPORTED_FACTORIES, name));
    assert.deepEqual(
      missing,
      [],
      `tf.layers members with neither a LayerSpec nor a reason in UNSUPPORTED_FACTORIES: ${missing.join(', ')}`,
    );
  });

  it('lists only members of the installed tf.layers, none of them supported', () => {
    for (const name of Object.keys(UNSUPPORTED_FACTORIES)) {
      assert.ok(members.includes(name), `UNSUPPORTED_FACTORIES lists ${name}, which tf.layers does not have`);
      assert.equal(findLayerSpec(name), undefined, `UNSUPPORTED_FACTORIES lists ${name}, which the layer table supports`);
    }
  });

  it('gives every unsupported member a reason', () => {
    for (const [name, reason] of Object.entries(UNSUPPORTED_FACTORIES)) {
      assert.ok(reason.trim().length >= 30, `the reason for ${name} is too short to explain anything: '${reason}'`);
    }
  });

  it('supports most of tf.layers', () => {
    const unsupported = Object.keys(UNSUPPORTED_FACTORIES).length;
    assert.ok(unsupported <= 5, `${unsupported} of ${members.length} members unsupported`);
  });
});
