/**
 * tfjs memory: live tensor count and bytes, and the count after each epoch, which must not
 * grow (a growing count is a leak: the meter turns to a warning and says by how much).
 */
import type { MemoryInfo } from '../../src/shared/messages';
import { formatBytes, formatCount } from './format';

export class MemoryMeter {
  readonly element: HTMLElement;
  private readonly tensors: HTMLElement;
  private readonly bytes: HTMLElement;
  private readonly trend: HTMLElement;
  private epochCounts: number[] = [];

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'lp-stat lp-memory';
    this.element.dataset['testid'] = 'memory';
    const label = document.createElement('div');
    label.className = 'lp-stat-label';
    label.textContent = 'tfjs memory';
    this.tensors = document.createElement('div');
    this.tensors.className = 'lp-stat-value';
    this.tensors.dataset['testid'] = 'tensor-count';
    this.bytes = document.createElement('div');
    this.bytes.className = 'lp-stat-sub';
    this.trend = document.createElement('div');
    this.trend.className = 'lp-stat-sub lp-memory-trend';
    this.element.append(label, this.tensors, this.bytes, this.trend);
    this.show({ numTensors: 0, numBytes: 0 });
  }

  show(memory: MemoryInfo): void {
    this.tensors.textContent = `${formatCount(memory.numTensors)} tensors`;
    this.tensors.dataset['value'] = String(memory.numTensors);
    this.bytes.textContent = formatBytes(memory.numBytes);
    this.bytes.dataset['value'] = String(memory.numBytes);
  }

  /** Records the count after an epoch and shows whether it is steady. */
  epochEnd(memory: MemoryInfo): void {
    this.epochCounts.push(memory.numTensors);
    this.show(memory);
    const first = this.epochCounts[0]!;
    const growth = memory.numTensors - first;
    const leaking = this.epochCounts.length > 1 && growth > 0;
    this.element.classList.toggle('lp-warning', leaking);
    this.trend.textContent =
      this.epochCounts.length < 2
        ? 'after epoch 1: baseline'
        : leaking
          ? `+${formatCount(growth)} since epoch 1: a leak?`
          : `steady over ${this.epochCounts.length} epochs`;
  }

  reset(): void {
    this.epochCounts = [];
    this.trend.textContent = '';
    this.element.classList.remove('lp-warning');
  }
}
