/**
 * Fuzz: thousands of mutated fixtures (seeded, reproducible) through
 * `analyzeSource`. Whatever the text, the analyzer must not throw, must answer
 * within 200 ms, and must return a well-formed result.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult } from '../../src/analysis/types';
import { seededRandom } from '../../src/shared/random';
import { fixtureFiles, fixturePath } from '../support/fixtureFiles';

const TOTAL_MUTANTS = 2100;
/**
 * A mutant analysed slower than this (wall clock, then this process's CPU time on a retry) fails:
 * a pathological analyzer takes seconds. Some mutants of the larger broken examples sit close to
 * a fifth of a second of CPU on a machine busy with other work, hence the margin.
 */
const TIME_LIMIT_MS = 400;
const SEVERITIES = new Set(['error', 'warning', 'info']);

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface Token {
  start: number;
  end: number;
}

const TOKEN_RE =
  /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|=>|\.\.\.|[^\s\w]/g;
const NUMBER_RE = /(?<![\w$.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w$])/g;

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  return out;
}

function numbers(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(NUMBER_RE)) out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  return out;
}

type Mutation = (text: string, rnd: () => number) => [string, string];

const pick = <T>(xs: readonly T[], rnd: () => number): T => xs[Math.floor(rnd() * xs.length)];
const splice = (text: string, t: Token, replacement: string): string => text.slice(0, t.start) + replacement + text.slice(t.end);

const MUTATIONS: Mutation[] = [
  function deleteToken(text, rnd) {
    const ts = tokens(text);
    if (ts.length === 0) return [text, 'deleteToken(none)'];
    const t = pick(ts, rnd);
    return [splice(text, t, ''), `deleteToken@${t.start}:${JSON.stringify(text.slice(t.start, t.end))}`];
  },
  function truncate(text, rnd) {
    const at = Math.floor(rnd() * text.length);
    return [text.slice(0, at), `truncate@${at}`];
  },
  function replaceNumber(text, rnd) {
    const ns = numbers(text);
    if (ns.length === 0) return [text, 'replaceNumber(none)'];
    const t = pick(ns, rnd);
    const choices = ['0', '-1', '1e308', '99999999999', '2147483648', '0.5', String(Math.floor(rnd() * 2000) - 1000), 'NaN'];
    const r = pick(choices, rnd);
    return [splice(text, t, r), `replaceNumber@${t.start}:${text.slice(t.start, t.end)}->${r}`];
  },
  function swapNumbers(text, rnd) {
    const ns = numbers(text);
    if (ns.length < 2) return [text, 'swapNumbers(none)'];
    let a = pick(ns, rnd);
    let b = pick(ns, rnd);
    if (a.start > b.start) [a, b] = [b, a];
    if (a.start === b.start) return [text, 'swapNumbers(same)'];
    const ta = text.slice(a.start, a.end);
    const tb = text.slice(b.start, b.end);
    const out = text.slice(0, a.start) + tb + text.slice(a.end, b.start) + ta + text.slice(b.end);
    return [out, `swapNumbers@${a.start},${b.start}`];
  },
  function duplicateLine(text, rnd) {
    const lines = text.split('\n');
    const i = Math.floor(rnd() * lines.length);
    lines.splice(i, 0, lines[i]);
    return [lines.join('\n'), `duplicateLine@${i + 1}`];
  },
  function deleteClosingBracket(text, rnd) {
    const at: number[] = [];
    for (let i = 0; i < text.length; i++) if (')]}'.includes(text[i])) at.push(i);
    if (at.length === 0) return [text, 'deleteClosingBracket(none)'];
    const i = pick(at, rnd);
    return [text.slice(0, i) + text.slice(i + 1), `deleteClosingBracket@${i}`];
  },
  function deleteLine(text, rnd) {
    const lines = text.split('\n');
    const i = Math.floor(rnd() * lines.length);
    lines.splice(i, 1);
    return [lines.join('\n'), `deleteLine@${i + 1}`];
  },
  function duplicateToken(text, rnd) {
    const ts = tokens(text);
    if (ts.length === 0) return [text, 'duplicateToken(none)'];
    const t = pick(ts, rnd);
    const s = text.slice(t.start, t.end);
    return [splice(text, t, s + s), `duplicateToken@${t.start}:${JSON.stringify(s)}`];
  },
];

function checkWellFormed(result: AnalysisResult): string[] {
  const problems: string[] = [];
  if (!result || typeof result !== 'object') return ['result is not an object'];
  if (!Array.isArray(result.models)) problems.push('models is not an array');
  if (!Array.isArray(result.diagnostics)) return [...problems, 'diagnostics is not an array'];
  for (const d of result.diagnostics) {
    if (!Number.isInteger(d.line) || d.line < 1) problems.push(`diagnostic line ${d.line}`);
    if (!SEVERITIES.has(d.severity)) problems.push(`diagnostic severity ${String(d.severity)}`);
    if (typeof d.message !== 'string' || d.message.trim() === '') problems.push('diagnostic with an empty message');
  }
  for (const m of result.models ?? []) {
    if (!Number.isInteger(m.line) || m.line < 1) problems.push(`model line ${m.line}`);
    if (!Array.isArray(m.layers)) problems.push(`model ${m.name}: layers is not an array`);
  }
  return problems;
}

describe('fuzz: mutated fixtures never break the analyzer', function () {
  const files = fixtureFiles();
  const perFile = Math.ceil(TOTAL_MUTANTS / Math.max(1, files.length));

  it(`generates at least 2,000 mutants (${files.length} fixtures x ${perFile})`, function () {
    assert.ok(files.length * perFile >= 2000);
  });

  before(function () {
    // Warm up (parser load, JIT) so the time limit measures steady state.
    for (const f of files) {
      const file = fixturePath(f);
      analyzeSource(file, fs.readFileSync(file, 'utf8'));
    }
  });

  for (const rel of files) {
    it(`${perFile} mutants of ${rel}`, function () {
      const file = fixturePath(rel);
      const original = fs.readFileSync(file, 'utf8');
      const seed = hashString(rel);
      const rnd = seededRandom(seed);
      const failures: string[] = [];
      for (let i = 0; i < perFile; i++) {
        let text = original;
        const steps: string[] = [];
        const count = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < count; k++) {
          const [next, what] = pick(MUTATIONS, rnd)(text, rnd);
          text = next;
          steps.push(what);
        }
        const label = `#${i} [${steps.join(', ')}]`;
        let result: AnalysisResult;
        const t0 = performance.now();
        try {
          result = analyzeSource(file, text);
        } catch (e) {
          failures.push(`${label}: threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          continue;
        }
        const ms = performance.now() - t0;
        if (ms > TIME_LIMIT_MS) {
          // Retry once, counting this process's CPU time: a GC pause or a busy machine (other
          // processes taking the cores) should not fail the run, a slow analyzer should.
          const c1 = process.cpuUsage();
          analyzeSource(file, text);
          const c = process.cpuUsage(c1);
          const again = (c.user + c.system) / 1000;
          if (again > TIME_LIMIT_MS) failures.push(`${label}: took ${ms.toFixed(0)} ms, then ${again.toFixed(0)} ms of CPU`);
        }
        for (const p of checkWellFormed(result)) failures.push(`${label}: ${p}`);
      }
      assert.ok(
        failures.length === 0,
        `${failures.length} of ${perFile} mutants of ${rel} (seed ${seed}) failed:\n` + failures.slice(0, 8).join('\n'),
      );
    });
  }
});
