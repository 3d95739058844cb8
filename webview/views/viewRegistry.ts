/**
 * The inspection views the training panel mounts as tabs, in tab order. Views made by one call
 * share one sample selection (picking a sample in one view shows it in the others).
 */
import { ActivationsView } from './activationsView';
import { FiltersView } from './filtersView';
import { GatesView } from './gatesView';
import { LatentGridView } from './latentGridView';
import { LatentView } from './latentView';
import { NeighboursView } from './neighboursView';
import { SampleGridView } from './sampleGridView';
import { SampleSelection } from './sampleSelection';
import type { InspectionView } from './viewTypes';
import { WeightsView } from './weightsView';

export function createViews(): InspectionView[] {
  const selection = new SampleSelection();
  return [
    new FiltersView(),
    new ActivationsView(selection),
    new GatesView(selection),
    new LatentView(selection),
    new LatentGridView(),
    new NeighboursView(selection),
    new SampleGridView(),
    new WeightsView(selection),
  ];
}
