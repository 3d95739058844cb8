/**
 * Yielding to the browser between pieces of training work, so no task runs long and the page
 * keeps painting and answering input (Chromium runs due frames and input between tasks).
 *
 * `nextTask()` ends the current task with a MessageChannel message: unlike `setTimeout(0)` it is
 * not clamped to 4 ms when chained, nor throttled in hidden pages (a webview in a background
 * tab keeps training), and unlike `requestAnimationFrame` (`tf.nextFrame`) it does not stop
 * when the panel is hidden or wait up to a frame each time.
 */

// Typed from the value so this compiles with the DOM (webview) and with Node's types (tests).
type Channel = InstanceType<typeof MessageChannel>;
let channel: Channel | null = null;
const waiting: Array<() => void> = [];

function port(): Channel['port2'] {
  if (channel === null) {
    channel = new MessageChannel();
    // (`onmessage` starts the port; Node's typings lack it, its MessagePort has it.)
    (channel.port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => waiting.shift()?.();
    // Node (unit tests): an idle channel must not keep the process alive.
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  return channel.port2;
}

/** Resolves in a new task. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    port().postMessage(0);
  });
}

/**
 * Resolves in a task after the page has rendered a frame: a requestAnimationFrame callback runs
 * just before the frame is drawn, the task it posts just after. Work split into tasks with
 * `nextTask()` alone can still starve rendering: Chromium may run many queued tasks before it
 * draws, so a run of 30 ms tasks showed as one 360 ms frame (Long Animation Frames). Where no
 * frame comes (a hidden page, Node), it resolves after at most `maxWaitMs`, or at once.
 */
export function afterPaint(maxWaitMs = 120): Promise<void> {
  // (Typed by hand: this module compiles with Node's types too.)
  const page = globalThis as { document?: { visibilityState: string }; requestAnimationFrame?: (callback: () => void) => number };
  if (page.document === undefined || page.document.visibilityState === 'hidden' || page.requestAnimationFrame === undefined)
    return nextTask();
  const requestFrame = page.requestAnimationFrame.bind(globalThis);
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(finish, maxWaitMs);
    requestFrame(() => void nextTask().then(finish));
  });
}
