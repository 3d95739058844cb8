/**
 * A view of one input sample (the panel's shared selection: a sample of the data, or a drawn
 * digit): it puts the sample picker in its toolbar, redraws when the selection changes, and
 * applies to models with one input unless it says otherwise.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { SamplePicker } from './samplePicker';
import type { SampleSelection } from './sampleSelection';
import { BaseView, guard } from './viewBase';

export abstract class SampleView extends BaseView {
  protected picker: SamplePicker | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(protected readonly selection: SampleSelection) {
    super();
  }

  applies(model: tfjs.LayersModel): boolean {
    return guard(() => Array.isArray(model.inputs) && model.inputs.length === 1);
  }

  /** The picker's element for the toolbar; from then on a new selection redraws the view. */
  protected samplePicker(): HTMLElement {
    this.picker = new SamplePicker(this.selection);
    this.unsubscribe = this.selection.subscribe(() => void this.rerender());
    return this.picker.element;
  }

  protected override teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.picker?.dispose();
    this.picker = null;
  }
}
