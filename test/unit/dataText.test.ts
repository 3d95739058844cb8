import * as assert from 'node:assert/strict';
import { generateCbow, generateSkipGrams, generateTokenSequences } from '../../src/data/textDatasets';
import {
  buildVocabulary,
  corpusFromFile,
  corpusFromText,
  encode,
  padSequence,
  splitSentences,
  tokenize,
} from '../../src/data/text';

const STORY = `The cat sat on the mat. The dog sat on the log!
Did the cat see the dog? The dog saw the cat and the cat ran away.`;

describe('text data', () => {
  it('tokenize: lower-case words, apostrophes kept inside words, punctuation dropped', () => {
    assert.deepEqual(tokenize("Don't PANIC, it's 42 — ok?"), ["don't", 'panic', "it's", '42', 'ok']);
    assert.deepEqual(tokenize('...'), []);
  });

  it('splitSentences on . ! ? and line breaks', () => {
    assert.deepEqual(splitSentences(STORY), [
      'The cat sat on the mat.',
      'The dog sat on the log!',
      'Did the cat see the dog?',
      'The dog saw the cat and the cat ran away.',
    ]);
  });

  it('vocabulary: reserved 0/1, most frequent first, ties alphabetical, capped', () => {
    const v = buildVocabulary(tokenize(STORY));
    assert.deepEqual(v.words.slice(0, 5), ['<pad>', '<unk>', 'the', 'cat', 'dog']);
    const capped = buildVocabulary(tokenize(STORY), 4);
    assert.equal(capped.size, 4);
    assert.deepEqual(encode(['the', 'cat', 'dog', 'zebra'], capped), [2, 3, 1, 1]);
  });

  it('padSequence: pads in front, keeps the last ids', () => {
    assert.deepEqual(padSequence([5, 6], 4), [0, 0, 5, 6]);
    assert.deepEqual(padSequence([1, 2, 3, 4, 5], 3), [3, 4, 5]);
  });

  it('a text file: sentences of ids; too little text names the file', () => {
    const corpus = corpusFromText(STORY, 'notes/story.txt');
    assert.equal(corpus.sentences.length, 4);
    assert.equal(corpus.source, 'notes/story.txt');
    assert.throws(() => corpusFromText('  \n ', 'notes/empty.txt'), {
      message: 'notes/empty.txt: the file contains no words to train on.',
    });
    assert.throws(() => corpusFromText('Just five words here.', 'notes/short.txt'), {
      message: 'notes/short.txt: only 4 words; an embedding needs at least 20 to learn anything.',
    });
    const cbow = generateCbow(corpus, { window: 2, classes: 50 });
    assert.equal(cbow.id, 'cbow:notes/story.txt');
    assert.equal(cbow.xsShape[0], tokenize(STORY).length);
    assert.ok(generateSkipGrams(corpus).xsShape[0] > 0);
  });

  it('a labelled file (label<TAB>text) trains a classifier; a line without a tab is named', () => {
    const text =
      'pos\tA lovely warm sunny day in the park with friends\nneg\tA cold wet grey day stuck inside alone again\npos\tGreat food and great company tonight\n';
    const corpus = corpusFromFile(text, 'reviews.tsv');
    assert.deepEqual(corpus.labels, [1, 0, 1]);
    assert.deepEqual(corpus.classNames, ['neg', 'pos']);
    const d = generateTokenSequences(corpus, { count: 6, length: 12, target: { kind: 'binary' } });
    assert.deepEqual(d.ysShape, [6, 1]);
    assert.throws(() => generateTokenSequences(corpus, { count: 6, length: 12, target: { kind: 'onehot', classes: 1 } }), {
      message: 'reviews.tsv: 2 different labels (neg, pos), but the model predicts 1 class.',
    });
    assert.throws(() => corpusFromFile('pos\tfine\njust text\n', 'mixed.txt'), {
      message: 'mixed.txt, line 2: expected "label<TAB>text" like the other lines, found no tab.',
    });
  });
});
