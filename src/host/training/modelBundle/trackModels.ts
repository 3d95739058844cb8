/**
 * The one source change the training bundle makes to the user's model file: each call that
 * creates an analysed model (`tf.sequential(...)`, `tf.model(...)`, `sequential(...)`) becomes
 * `globalThis.__modelLensTrack(LINE, <call>)`, so the panel can pick the model by the line the
 * analysis gave it, whether it is exported, returned by a function or a plain script's top-level
 * value. Lines stay where they were (the wrapper is inserted on the same lines). Pure.
 */
import * as ts from 'typescript';
import { callNameToken, forEachCall, lineOf, parseSource } from '../sourceModels';

export const TRACK_FUNCTION = '__modelLensTrack';
const MODEL_FACTORIES: ReadonlySet<string> = new Set(['sequential', 'model']);

export interface TrackingResult {
  code: string;
  /** Model lines that got a wrapper. */
  tracked: number[];
  /** Model lines where no `sequential(`/`model(` call was found (e.g. a loaded model). */
  missing: number[];
}

/** Wraps the outermost model-creating call on each of `lines` (1-based). */
export function insertModelTracking(fileName: string, text: string, lines: readonly number[]): TrackingResult {
  const source = parseSource(fileName, text);
  const wanted = new Set(lines);
  const chosen = new Map<number, ts.CallExpression>();
  forEachCall(source, (call) => {
    const token = callNameToken(call);
    if (!token || !MODEL_FACTORIES.has(token.text)) return;
    const line = lineOf(source, token);
    if (!wanted.has(line) || chosen.has(line)) return; // outermost first: keep the first found
    chosen.set(line, call);
  });
  const edits = [...chosen].flatMap(([line, call]) => [
    { at: call.getStart(source), text: `globalThis.${TRACK_FUNCTION}(${line}, ` },
    { at: call.getEnd(), text: ')' },
  ]);
  // Apply from the end so earlier offsets stay valid; at equal offsets, closers before openers.
  edits.sort((a, b) => b.at - a.at || (a.text === ')' ? -1 : 1));
  let code = text;
  for (const edit of edits) code = code.slice(0, edit.at) + edit.text + code.slice(edit.at);
  const tracked = [...chosen.keys()].sort((a, b) => a - b);
  return { code, tracked, missing: [...wanted].filter((l) => !chosen.has(l)).sort((a, b) => a - b) };
}
