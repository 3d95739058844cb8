import * as assert from 'node:assert/strict';
import type { AnalysisResult } from '../../src/analysis/types';
import { AnalysisCache, Debouncer, Reanalyzer } from '../../src/host/analysisCache';
import type { AnalyzableDocument, Timers } from '../../src/host/analysisCache';

function doc(uri: string, version: number, text = `// v${version}`): AnalyzableDocument {
  return { uri, version, fileName: uri.replace('file://', ''), getText: () => text };
}

function counting() {
  const calls: string[] = [];
  const analyzer = (fileName: string, text: string): AnalysisResult => {
    calls.push(text);
    return { file: fileName, models: [], diagnostics: [], importsTfjs: true };
  };
  return { calls, analyzer };
}

/** Manual clock: `tick(ms)` runs what is due. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const queue = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      queue.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void queue.delete(id as number),
  };
  const tick = (ms: number) => {
    now += ms;
    for (const [id, t] of [...queue]) {
      if (t.at <= now) {
        queue.delete(id);
        t.fn();
      }
    }
  };
  return { timers, tick, pending: () => queue.size };
}

describe('analysisCache', () => {
  it('analyses once per (uri, version)', () => {
    const { calls, analyzer } = counting();
    const cache = new AnalysisCache({ analyzer });
    const first = cache.getOrAnalyze(doc('file:///a.ts', 1));
    assert.equal(cache.getOrAnalyze(doc('file:///a.ts', 1)), first);
    assert.equal(calls.length, 1);
    cache.getOrAnalyze(doc('file:///a.ts', 2));
    assert.equal(calls.length, 2);
    assert.equal(cache.get('file:///a.ts', 1), undefined);
    assert.ok(cache.get('file:///a.ts', 2));
    cache.delete('file:///a.ts');
    assert.equal(cache.latest('file:///a.ts'), undefined);
  });

  it('forgets the results that read a changed file through an import, and only those', () => {
    const cache = new AnalysisCache({
      analyzer: (fileName) => ({
        file: fileName,
        models: [],
        diagnostics: [],
        importsTfjs: true,
        dependencies: fileName === '/main.ts' ? ['C:/p/config.ts'] : [],
      }),
    });
    cache.getOrAnalyze(doc('file:///main.ts', 1));
    cache.getOrAnalyze(doc('file:///other.ts', 1));
    assert.deepEqual(cache.invalidateDependents('C:\\p\\config.ts'), ['file:///main.ts']);
    assert.equal(cache.latest('file:///main.ts'), undefined);
    assert.ok(cache.latest('file:///other.ts'));
    assert.deepEqual(cache.invalidateDependents('/p/unrelated.ts'), []);
  });

  it('turns an analyzer exception into an empty result and reports it', () => {
    const errors: unknown[] = [];
    const cache = new AnalysisCache({
      analyzer: () => {
        throw new Error('boom');
      },
      onError: (e) => errors.push(e),
    });
    const r = cache.getOrAnalyze(doc('file:///a.ts', 1));
    assert.deepEqual(r, { file: '/a.ts', models: [], diagnostics: [], importsTfjs: false });
    assert.equal(errors.length, 1);
  });

  it('drops the least recently used documents', () => {
    const { analyzer } = counting();
    const cache = new AnalysisCache({ analyzer, maxEntries: 2 });
    cache.getOrAnalyze(doc('a', 1));
    cache.getOrAnalyze(doc('b', 1));
    cache.getOrAnalyze(doc('a', 1));
    cache.getOrAnalyze(doc('c', 1));
    assert.equal(cache.size, 2);
    assert.ok(cache.get('a', 1));
    assert.equal(cache.get('b', 1), undefined);
  });

  it('Debouncer runs only the last callback after the quiet period', () => {
    const clock = fakeTimers();
    const debouncer = new Debouncer(250, clock.timers);
    const ran: number[] = [];
    debouncer.schedule('k', () => ran.push(1));
    clock.tick(200);
    debouncer.schedule('k', () => ran.push(2));
    clock.tick(200);
    assert.equal(ran.length, 0);
    assert.ok(debouncer.isPending('k'));
    clock.tick(50);
    assert.deepEqual(ran, [2]);
    debouncer.schedule('k', () => ran.push(3));
    debouncer.dispose();
    clock.tick(1000);
    assert.deepEqual(ran, [2]);
  });

  it('Reanalyzer analyses the document as it is when the timer fires', () => {
    const clock = fakeTimers();
    const { calls, analyzer } = counting();
    const cache = new AnalysisCache({ analyzer });
    const reanalyzer = new Reanalyzer(cache, 250, clock.timers);
    let current = doc('a', 1, 'one');
    const results: number[] = [];
    const schedule = () =>
      reanalyzer.schedule(
        'a',
        () => current,
        (_r, d) => results.push(d.version),
      );
    schedule();
    current = doc('a', 2, 'two');
    schedule();
    current = doc('a', 3, 'three');
    clock.tick(250);
    assert.deepEqual(calls, ['three']);
    assert.deepEqual(results, [3]);
    reanalyzer.schedule(
      'a',
      () => undefined,
      () => results.push(-1),
    );
    clock.tick(250);
    assert.deepEqual(results, [3]);
  });
});
