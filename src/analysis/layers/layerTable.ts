/**
 * The layer table: every supported `tf.layers` factory, with its aliases. The factories it
 * deliberately leaves out are listed, with the reason, in unsupportedFactories.ts.
 */
import { activationSpecs } from './activation';
import { convSpecs } from './conv';
import { convRecurrentSpecs } from './convRecurrent';
import { coreSpecs } from './core';
import { embeddingSpec } from './embedding';
import type { LayerSpec } from './layerSpec';
import { mergeSpecs } from './merge';
import { normalizationSpecs } from './normalization';
import { poolingSpecs } from './pooling';
import { preprocessingSpecs } from './preprocessing';
import { recurrentSpecs } from './recurrent';
import { rnnSpec } from './rnn';
import { rnnCellSpecs } from './rnnCells';
import { spatialSpecs } from './spatial';
import { wrapperSpecs } from './wrappers';

export const allLayerSpecs: readonly LayerSpec[] = [
  ...coreSpecs,
  ...activationSpecs,
  ...convSpecs,
  ...spatialSpecs,
  ...poolingSpecs,
  ...recurrentSpecs,
  rnnSpec,
  ...rnnCellSpecs,
  ...convRecurrentSpecs,
  ...wrapperSpecs,
  ...mergeSpecs,
  ...normalizationSpecs,
  embeddingSpec,
  ...preprocessingSpecs,
];

const byName = new Map<string, LayerSpec>();
for (const spec of allLayerSpecs) {
  for (const name of [spec.factory, ...(spec.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`duplicate layer factory name ${name}`);
    byName.set(name, spec);
  }
}

/** The spec for a `tf.layers` factory name or alias (e.g. `maxPool2d`), if supported. */
export function findLayerSpec(factoryName: string): LayerSpec | undefined {
  return byName.get(factoryName);
}
