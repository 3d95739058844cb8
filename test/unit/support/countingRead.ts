/** A stepped read for unit tests: no pacing (budget 0), and how many `share` steps it ran. */
import type * as tfjs from '@tensorflow/tfjs';
import { SteppedRead } from '../../../webview/probes/packedRead';

export function countingRead(tf: typeof tfjs): { read: SteppedRead; shares: () => number } {
  const read = new SteppedRead(tf, 0);
  let shares = 0;
  const share = read.share.bind(read);
  read.share = (make) => {
    shares++;
    return share(make);
  };
  return { read, shares: () => shares };
}
