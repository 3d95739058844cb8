/**
 * Repainting the panel's canvases when VS Code's colour theme changes. VS Code signals a new
 * theme in a webview by changing the body's theme class (`vscode-light`, `vscode-dark`,
 * `vscode-high-contrast`, `vscode-high-contrast-light`) and its `data-vscode-theme-kind`, and the
 * `--vscode-*` variables in the html element's style attribute. Canvases read those colours only
 * when they draw, so whatever draws with theme colours registers a repaint (from the data it
 * last drew: no probe, no model) with `paintThemed` / `onThemeRepaint`; one observer watches the
 * theme and, once per frame after a real change, runs the repaints of the registered elements
 * that are in the document. Nothing is observed before something themed has been drawn.
 */

const THEME_CLASSES = ['vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light'];

/** What identifies the current theme: the body's theme classes and kind, the html element's variables. */
function themeKey(): string {
  const body = document.body as HTMLElement | null;
  const classes = body ? THEME_CLASSES.filter((c) => body.classList.contains(c)).join(' ') : '';
  const kind = body?.getAttribute('data-vscode-theme-kind') ?? '';
  return `${classes}|${kind}|${document.documentElement.getAttribute('style') ?? ''}`;
}

const listeners = new Set<() => void>();
let observer: MutationObserver | null = null;
let frame = 0;
let seen = '';
let generation = 0;

function observeBody(): void {
  if (observer && document.body) {
    observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  }
}

function start(): void {
  if (observer) return;
  seen = themeKey();
  observer = new MutationObserver(() => {
    // Many mutations (one per variable as VS Code writes them) make one check, in the next frame.
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const key = themeKey();
      if (key === seen) return;
      seen = key;
      generation++;
      for (const listener of [...listeners]) guarded(listener);
    });
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  if (document.body) observeBody();
  else document.addEventListener('DOMContentLoaded', observeBody, { once: true });
}

function stop(): void {
  observer?.disconnect();
  observer = null;
  if (frame !== 0) cancelAnimationFrame(frame);
  frame = 0;
}

/** Runs `fn`; an error is reported (as an uncaught error is) without stopping the other repaints. */
function guarded(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    reportError(e);
  }
}

/**
 * Calls `listener` once after each change of the theme (in the frame after the change, however
 * many attributes it changed; a mutation that leaves the theme as it was calls nothing). Returns
 * the function that stops it.
 */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  start();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stop();
  };
}

/**
 * How many theme changes have been seen so far (while something themed was drawn): a drawing
 * that read the theme before a change and drew after it compares two readings.
 */
export function themeGeneration(): number {
  return generation;
}

// The registered elements. Weak: an element the panel dropped goes with its repaint.
const repaints = new WeakMap<Element, () => void>();
const refs = new WeakMap<Element, WeakRef<Element>>();
const targets = new Set<WeakRef<Element>>();
const collected = new FinalizationRegistry<WeakRef<Element>>((ref) => targets.delete(ref));
let watching: (() => void) | null = null;

/**
 * After each theme change, `repaint` draws `target` again (while `target` is in the document,
 * shown or not). The latest repaint given for an element replaces the one before; a canvas drawn
 * afresh (`setupCanvas`) forgets its repaint until its drawing registers one again.
 */
export function onThemeRepaint(target: Element, repaint: () => void): void {
  repaints.set(target, repaint);
  if (!refs.has(target)) {
    const ref = new WeakRef(target);
    refs.set(target, ref);
    targets.add(ref);
    collected.register(target, ref);
  }
  watching ??= onThemeChange(() => repaintThemed());
}

/** Draws with `draw` now, and again with it after each theme change (`onThemeRepaint`). */
export function paintThemed(target: Element, draw: () => void): void {
  draw();
  onThemeRepaint(target, draw);
}

/** Drops `target`'s repaint (its drawing no longer uses theme colours). */
export function forgetThemed(target: Element): void {
  repaints.delete(target);
}

/**
 * Runs the repaints of the registered elements in the document (inside `within` when given),
 * in the order they were first registered. Returns how many ran.
 */
export function repaintThemed(within?: Node): number {
  let count = 0;
  for (const ref of [...targets]) {
    const target = ref.deref();
    if (!target) {
      targets.delete(ref);
      continue;
    }
    const repaint = repaints.get(target);
    if (!repaint || !target.isConnected || (within && !within.contains(target))) continue;
    guarded(repaint);
    // A repaint that draws afresh may have forgotten itself (setupCanvas): it stays registered.
    if (!repaints.has(target)) repaints.set(target, repaint);
    count++;
  }
  return count;
}
