/**
 * Export of the whole graph (not just what is on screen) as a standalone SVG (theme colours
 * written into each element, since the file has no VS Code variables) or as a PNG drawn from
 * that SVG at twice the size.
 */

/** Properties copied from the page's computed style onto the exported elements. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
];

/** A standalone SVG of `svg`'s content: the whole graph (`width`×`height`), styles inlined. */
export function standaloneSvg(
  svg: SVGSVGElement,
  content: SVGGElement,
  width: number,
  height: number,
  background: string,
): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.ceil(width)));
  clone.setAttribute('height', String(Math.ceil(height)));
  clone.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const copy = copies[i]!;
    const style = getComputedStyle(original);
    const inline = STYLE_PROPS.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';');
    copy.setAttribute('style', inline);
    if (original === content) copy.removeAttribute('transform');
  });
  // Tooltips and highlight classes are for the live view only.
  for (const t of clone.querySelectorAll('title')) t.remove();
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('style', `fill:${background}`);
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** The SVG drawn into a canvas at `scale`, as a base64 PNG (no `data:` prefix). */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    const loaded = new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the graph could not be drawn as an image'));
    });
    image.src = url;
    await loaded;
    // Canvases have a maximum area: very large graphs are drawn smaller rather than failing.
    const maxSide = 16000;
    const s = Math.min(scale, maxSide / width, maxSide / height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * s));
    canvas.height = Math.max(1, Math.round(height * s));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas here');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  } finally {
    URL.revokeObjectURL(url);
  }
}
