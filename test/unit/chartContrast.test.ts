import * as assert from 'node:assert/strict';
import { contrast, parseCssColor, readable, subdued } from '../../webview/ui/contrast';
import type { Rgb } from '../../webview/ui/contrast';

const rgb = (css: string): Rgb => parseCssColor(css)!.rgb;
/** `color` drawn with `alpha` over an opaque `background`. */
const drawn = (color: string, background: string, alpha = 1): Rgb => {
  const [c, b] = [rgb(color), rgb(background)];
  return [0, 1, 2].map((i) => b[i]! + (c[i]! - b[i]!) * alpha) as Rgb;
};

describe('chart colours to WCAG contrast (webview/ui/contrast)', () => {
  it('reads hex (with alpha) and rgb() colours, and gives WCAG ratios', () => {
    assert.deepEqual(parseCssColor('#cccccc40'), { rgb: [204, 204, 204], alpha: 64 / 255 });
    assert.deepEqual(parseCssColor('rgba(36, 137, 219, 0.51)'), { rgb: [36, 137, 219], alpha: 0.51 });
    assert.equal(contrast([255, 255, 255], [0, 0, 0]), 21);
    assert.ok(Math.abs(contrast(rgb('#767676'), rgb('#ffffff')) - 4.54) < 0.01);
  });

  it('darkens an orange on a light chart just to 3:1, and keeps a colour that already reaches it', () => {
    assert.ok(contrast(rgb('#d18616'), rgb('#f8f8f8')) < 3, 'the light theme’s orange falls short');
    const fixed = readable('#d18616', '#f8f8f8', 3);
    const ratio = contrast(rgb(fixed), rgb('#f8f8f8'));
    assert.ok(ratio >= 3 && ratio < 3.2, `${fixed}: ${ratio}`);
    assert.equal(readable('#3794ff', '#202020', 3), '#3794ff');
    // On a dark background it lightens instead.
    const light = readable('#1a3a6a', '#1f1f1f', 3);
    assert.ok(contrast(rgb(light), rgb('#1f1f1f')) >= 3 && rgb(light)[2] > 0x6a, light);
  });

  it('reaches the ratio as drawn with an alpha, and a subdued shade stays at 3:1, nearer the background', () => {
    const points = readable('#1a85ff', '#f8f8f8', 3, 0.7);
    assert.ok(contrast(drawn(points, '#f8f8f8', 0.7), rgb('#f8f8f8')) >= 3);
    const strong = readable('#3794ff', '#202020', 3);
    const thin = subdued(strong, '#202020', 3);
    const [s, t] = [contrast(rgb(strong), rgb('#202020')), contrast(rgb(thin), rgb('#202020'))];
    assert.ok(t >= 3 && t < s, `thin ${t}, strong ${s}`);
  });
});
