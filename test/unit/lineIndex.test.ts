/** The analysis' line index agrees with TypeScript's lines for every kind of line break. */
import * as assert from 'assert';
import * as ts from 'typescript';
import { LineIndex } from '../../src/analysis/lineIndex';
import { analyzeSource } from '../../src/analysis/analyze';

describe('LineIndex', () => {
  const texts = [
    '',
    'one line',
    'a\nb\n',
    'a\r\nb\r\n\r\nc',
    'a\rb\r\rc',
    'x\u2028y\u2029z',
    '\n\n\r\n\r\u2028end',
    'mixed\r\nwith\nall\rkinds\u2029',
  ];
  for (const text of texts) {
    it(`gives TypeScript's line and column at every position of ${JSON.stringify(text)}`, () => {
      const sf = ts.createSourceFile('t.ts', text, ts.ScriptTarget.Latest);
      const index = new LineIndex(text);
      for (let pos = 0; pos <= text.length; pos++) {
        const expected = sf.getLineAndCharacterOfPosition(pos);
        const line = index.line(pos);
        assert.deepStrictEqual([line, index.character(pos, line)], [expected.line, expected.character], `position ${pos}`);
      }
    });
  }

  it('puts layers on the right lines of a CRLF file', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'const m = tf.sequential();',
      '',
      'm.add(tf.layers.dense({ units: 4, inputShape: [3] }));',
    ].join('\r\n');
    const r = analyzeSource('crlf.ts', text);
    assert.deepStrictEqual(
      r.models[0]!.layers.map((l) => l.line),
      [4],
    );
  });
});
