/**
 * The Trainer's choice between sharing batches with the gradient peers and training alone
 * (webview/training/parallel/shareChoice.ts): trials of both ways at each epoch's start until the
 * same way has won a few epochs in a row, then only now and then.
 */
import * as assert from 'node:assert/strict';
import { ShareChoice } from '../../webview/training/parallel/shareChoice';

/** Runs one epoch of `batches` batches at the given ms per sample; returns how many were shared. */
function epoch(choice: ShareChoice, batches: number, ms: { shared: number; alone: number }): number {
  choice.retrial();
  let shared = 0;
  for (let b = 0; b < batches; b++) {
    const share = choice.next();
    if (share) shared++;
    choice.record(share, share ? ms.shared : ms.alone);
  }
  return shared;
}

describe('ShareChoice: sharing batches only where it pays', function () {
  it('times both ways each epoch until training alone has won three in a row, then every fifth epoch only', function () {
    const choice = new ShareChoice();
    const slowShared = { shared: 2, alone: 1 };
    // Epochs 1–3: trials (a warm-up and three timed batches of each way), then alone.
    for (let e = 1; e <= 3; e++) assert.equal(epoch(choice, 20, slowShared), e === 1 ? 4 : 3, `epoch ${e}`);
    // Settled: epoch 4 shares no batch; epoch 5 times again.
    assert.equal(epoch(choice, 20, slowShared), 0, 'epoch 4');
    assert.equal(epoch(choice, 20, slowShared), 3, 'epoch 5');
    assert.equal(epoch(choice, 20, slowShared), 0, 'epoch 6');
  });

  it('a change of winner at a recheck starts the trials again every epoch', function () {
    const choice = new ShareChoice();
    for (let e = 1; e <= 4; e++) epoch(choice, 20, { shared: 2, alone: 1 });
    // Epoch 5 rechecks and sharing now wins: every later batch of the epoch is shared.
    const fast = { shared: 0.5, alone: 1 };
    assert.equal(epoch(choice, 20, fast), 20 - 3);
    // Epoch 6 is timed again (one win in a row), sharing all but the three alone trials.
    assert.equal(epoch(choice, 20, fast), 20 - 3);
  });
});
