/**
 * WCAG AA contrast on computed colours, run inside the panel's page by test/webview/contrast.test.ts
 * (bundled by the test as one script; installed before the panel loads, so it sees every canvas
 * draw). Two checks:
 * - every visible text node (light and shadow DOM, and the values of text inputs) against its
 *   effective background: the backgrounds of its flat-tree ancestors composed over the page,
 *   with their opacity, ≥ 4.5:1, or ≥ 3:1 for large text (≥ 24px, or ≥ 18.66px bold);
 * - every mark drawn on a visible canvas (lines, dots, bars, text) against the canvas's
 *   background (its own full-size fill, else the DOM's background behind it), with the
 *   globalAlpha it was drawn with: ≥ 3:1 for graphical objects, text as above. Grid lines and
 *   the categorical palette (colours told apart from each other, not from the page) are left out.
 * Inactive (disabled) controls are exempt, as WCAG exempts them.
 */

export interface ContrastFailure {
  /** `text` or a canvas mark kind (stroke, fill, fillRect, fillText, …). */
  kind: string;
  where: string;
  text: string;
  foreground: string;
  background: string;
  ratio: number;
  required: number;
}

export interface ContrastReport {
  textsChecked: number;
  marksChecked: number;
  failures: ContrastFailure[];
}

export interface AuditOptions {
  /** Colours drawn on canvases that are exempt (the categorical palette), as CSS colours. */
  exemptColors: string[];
}

type Rgba = [number, number, number, number];

interface Mark {
  kind: string;
  color: string;
  alpha: number;
  font: string;
}

interface CanvasLog {
  marks: Map<string, Mark>;
  /** A fill covering the whole canvas: the background the other marks sit on. */
  background: { color: string; alpha: number } | null;
}

const logs = new WeakMap<HTMLCanvasElement, CanvasLog>();

function logOf(canvas: HTMLCanvasElement): CanvasLog {
  let log = logs.get(canvas);
  if (!log) {
    log = { marks: new Map(), background: null };
    logs.set(canvas, log);
  }
  return log;
}

function record(ctx: CanvasRenderingContext2D, kind: string, paint: unknown): void {
  if (typeof paint !== 'string' || !(ctx.canvas instanceof HTMLCanvasElement)) return;
  const mark: Mark = { kind, color: paint, alpha: ctx.globalAlpha, font: kind.endsWith('Text') ? ctx.font : '' };
  logOf(ctx.canvas).marks.set(`${kind}|${paint}|${mark.alpha}|${mark.font}`, mark);
}

/** Wraps the 2-D context's drawing calls to log the colour of each mark per canvas. */
export function installCanvasRecorder(): void {
  const proto = CanvasRenderingContext2D.prototype;
  const wrap = <K extends 'fill' | 'stroke' | 'fillText' | 'strokeText' | 'strokeRect'>(
    name: K,
    style: 'fill' | 'stroke',
  ): void => {
    const original = proto[name] as (...args: unknown[]) => void;
    (proto as unknown as Record<string, unknown>)[name] = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
      record(this, name, style === 'fill' ? this.fillStyle : this.strokeStyle);
      return original.apply(this, args);
    };
  };
  wrap('fill', 'fill');
  wrap('stroke', 'stroke');
  wrap('fillText', 'fill');
  wrap('strokeText', 'stroke');
  wrap('strokeRect', 'stroke');
  const fillRect = proto.fillRect;
  proto.fillRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    const canvas = this.canvas;
    const m = this.getTransform();
    const full =
      canvas instanceof HTMLCanvasElement &&
      x * m.a + m.e <= 0 &&
      y * m.d + m.f <= 0 &&
      (x + w) * m.a + m.e >= canvas.width &&
      (y + h) * m.d + m.f >= canvas.height;
    if (full && typeof this.fillStyle === 'string') logOf(canvas).background = { color: this.fillStyle, alpha: this.globalAlpha };
    else record(this, 'fillRect', this.fillStyle);
    return fillRect.call(this, x, y, w, h);
  };
}

// ---- colour maths (WCAG 2.x relative luminance) ----

let parser: CanvasRenderingContext2D | null = null;

/** A CSS colour as RGBA 0–255 (alpha 0–1); null when it cannot be read. */
export function parseColor(css: string): Rgba | null {
  const s = css.trim();
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(s);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), alphaOf(rgb[4])];
  const srgb = /^color\(srgb\s+([-\d.e]+)\s+([-\d.e]+)\s+([-\d.e]+)(?:\s*\/\s*([\d.]+%?))?\s*\)$/.exec(s);
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, alphaOf(srgb[4])];
  const hex = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (hex) {
    let h = hex[1]!;
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
  }
  if (s === 'transparent') return [0, 0, 0, 0];
  // Anything else (named colours, other spaces): let a canvas normalise it, once.
  parser ??= document.createElement('canvas').getContext('2d');
  if (parser === null) return null;
  parser.fillStyle = '#010203';
  parser.fillStyle = s;
  const normal = String(parser.fillStyle);
  return normal === '#010203' || normal === s ? null : parseColor(normal);
}

function alphaOf(text: string | undefined): number {
  if (text === undefined) return 1;
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
}

/** `top` over an opaque `under`. */
function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
}

function luminance(c: Rgba): number {
  const lin = (v: number): number => {
    const x = Math.min(255, Math.max(0, v)) / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

const hex = (c: Rgba): string =>
  `#${c
    .slice(0, 3)
    .map((v) => Math.round(v).toString(16).padStart(2, '0'))
    .join('')}`;

// ---- the flat tree ----

function flatParent(node: Node): Element | null {
  const slot = (node as Element | Text).assignedSlot;
  if (slot) return slot;
  if (node.parentElement) return node.parentElement;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/** The element and its flat-tree ancestors, innermost first. */
function chain(element: Element): Element[] {
  const out: Element[] = [];
  for (let e: Element | null = element; e; e = flatParent(e)) out.push(e);
  return out;
}

const WHITE: Rgba = [255, 255, 255, 1];

/**
 * The colour of a pixel of `paint` drawn inside `elements[0]` (null: the background there),
 * composing each ancestor's background and opacity from the root (the page canvas is white).
 */
function pixel(elements: Element[], paint: Rgba | null): Rgba {
  const render = (i: number, under: Rgba): Rgba => {
    const style = getComputedStyle(elements[i]!);
    const own = over(parseColor(style.backgroundColor) ?? [0, 0, 0, 0], under);
    const inner = i === 0 ? (paint ? over(paint, own) : own) : render(i - 1, own);
    const opacity = Number(style.opacity);
    return opacity < 1 ? over([...inner.slice(0, 3), opacity] as Rgba, under) : inner;
  };
  return render(elements.length - 1, WHITE);
}

function describe(element: Element): string {
  const parts: string[] = [];
  for (let e: Element | null = element, n = 0; e && n < 4; e = flatParent(e), n++) {
    const id = e.getAttribute('data-testid') ?? e.getAttribute('data-role');
    const cls =
      typeof e.className === 'string' && e.className.trim() !== '' ? `.${e.className.trim().split(/\s+/).join('.')}` : '';
    parts.unshift(`${e.tagName.toLowerCase()}${cls}${id ? `[${id}]` : ''}`);
    if (e.getRootNode() instanceof ShadowRoot && flatParent(e) === (e.getRootNode() as ShadowRoot).host)
      parts.unshift('::shadow');
  }
  return parts.join(' > ');
}

function inactive(elements: Element[]): boolean {
  return elements.some((e) => e.hasAttribute('disabled') || e.getAttribute('aria-disabled') === 'true');
}

function requiredFor(fontSizePx: number, weight: number): number {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && weight >= 700) ? 3 : 4.5;
}

function visible(element: Element): boolean {
  return (
    element.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) && element.getClientRects().length > 0
  );
}

/** Every text node under `root`, shadow roots included. */
function* texts(root: Node): Generator<Text | HTMLInputElement> {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
    if (n instanceof Text) yield n;
    else if (n instanceof Element) {
      if (n instanceof HTMLInputElement && n.value !== '' && !['checkbox', 'radio', 'range', 'hidden'].includes(n.type)) yield n;
      if (n.shadowRoot) yield* texts(n.shadowRoot);
    }
  }
}

function checkTexts(failures: ContrastFailure[]): number {
  let checked = 0;
  for (const node of texts(document.body)) {
    const content = node instanceof Text ? (node.textContent ?? '').trim() : node.value;
    if (content === '') continue;
    const element = node instanceof Text ? flatParent(node) : node;
    if (!element || ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(element.tagName) || !visible(element)) continue;
    if (node instanceof Text) {
      const range = document.createRange();
      range.selectNodeContents(node);
      if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    }
    const elements = chain(element);
    if (inactive(elements)) continue;
    const style = getComputedStyle(element);
    const paint = parseColor(element instanceof SVGElement ? style.fill : style.color);
    checked++;
    const bg = pixel(elements, null);
    if (paint === null) {
      failures.push({
        kind: 'text',
        where: describe(element),
        text: content.slice(0, 60),
        foreground: style.color,
        background: hex(bg),
        ratio: 0,
        required: 4.5,
      });
      continue;
    }
    const fg = pixel(elements, paint);
    const ratio = contrastRatio(fg, bg);
    const required = requiredFor(parseFloat(style.fontSize), Number(style.fontWeight));
    if (ratio < required) {
      failures.push({
        kind: 'text',
        where: describe(element),
        text: content.slice(0, 60),
        foreground: hex(fg),
        background: hex(bg),
        ratio,
        required,
      });
    }
  }
  return checked;
}

function checkCanvases(options: AuditOptions, failures: ContrastFailure[]): number {
  const exempt = new Set(options.exemptColors.map((c) => hex(parseColor(c) ?? [0, 0, 0, 0])));
  // Grid lines: the theme's line and border colours (decorative, WCAG 1.4.11 does not ask them to stand out).
  const style = getComputedStyle(document.body);
  const grid = new Set(
    ['--vscode-charts-lines', '--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-widget-border']
      .map((v) => style.getPropertyValue(v).trim())
      .filter((v) => v !== '')
      .map((v) => colorKey(parseColor(v))),
  );
  let checked = 0;
  for (const canvas of deepQuery('canvas')) {
    const log = logs.get(canvas as HTMLCanvasElement);
    if (!log || !visible(canvas)) continue;
    const elements = chain(canvas);
    let bg = pixel(elements, null);
    const own = log.background && parseColor(log.background.color);
    if (own) bg = over([own[0], own[1], own[2], own[3] * log.background!.alpha], bg);
    for (const mark of log.marks.values()) {
      const color = parseColor(mark.color);
      if (color === null) continue;
      if (mark.kind.startsWith('stroke') && grid.has(colorKey(color))) continue;
      if (exempt.has(hex(color))) continue;
      checked++;
      const fg = over([color[0], color[1], color[2], color[3] * mark.alpha], bg);
      const ratio = contrastRatio(fg, bg);
      const text = mark.kind.endsWith('Text');
      const size = /([\d.]+)px/.exec(mark.font);
      const required = text ? requiredFor(size ? Number(size[1]) : 10, /\bbold\b|\b[7-9]00\b/.test(mark.font) ? 700 : 400) : 3;
      if (ratio < required) {
        failures.push({
          kind: `canvas ${mark.kind}${mark.alpha < 1 ? ` (alpha ${mark.alpha})` : ''}`,
          where: describe(canvas),
          text: canvas.getAttribute('aria-label') ?? '',
          foreground: hex(fg),
          background: hex(bg),
          ratio,
          required,
        });
      }
    }
  }
  return checked;
}

/** A colour as a canvas stores it (its alpha to 2 decimals), to compare a CSS value with a drawn one. */
const colorKey = (c: Rgba | null): string => (c === null ? '' : `${hex(c)}/${c[3].toFixed(2)}`);

function deepQuery(selector: string, root: Document | ShadowRoot = document): Element[] {
  const out = [...root.querySelectorAll(selector)];
  for (const host of root.querySelectorAll('*')) if (host.shadowRoot) out.push(...deepQuery(selector, host.shadowRoot));
  return out;
}

/** Checks what is visible now. */
export function auditContrast(options: AuditOptions): ContrastReport {
  const failures: ContrastFailure[] = [];
  const textsChecked = checkTexts(failures);
  const marksChecked = checkCanvases(options, failures);
  return { textsChecked, marksChecked, failures };
}
