/**
 * DatasetPayload over HTTP for the test pages: a little-endian u32 header length, the JSON
 * header (everything but the buffers, plus their byte lengths), then xs, ys, labels.
 * DOM-free and Node-free: both the harness and the page use it.
 */
import type { DatasetPayload } from '../../../src/shared/messages';

interface WireHeader {
  meta: Omit<DatasetPayload, 'xs' | 'ys' | 'labels'>;
  lengths: { xs: number; ys: number; labels: number };
}

export function encodeDataset(payload: DatasetPayload): Uint8Array {
  const { xs, ys, labels, ...meta } = payload;
  const header: WireHeader = { meta, lengths: { xs: xs.byteLength, ys: ys?.byteLength ?? -1, labels: labels?.byteLength ?? -1 } };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const parts = [xs, ys, labels].filter((b): b is ArrayBuffer => b !== undefined);
  const total = 4 + json.byteLength + parts.reduce((a, b) => a + b.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  let offset = 4 + json.byteLength;
  for (const part of parts) {
    out.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return out;
}

export function decodeDataset(bytes: ArrayBuffer): DatasetPayload {
  const headerLength = new DataView(bytes).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 4, headerLength))) as WireHeader;
  let offset = 4 + headerLength;
  const take = (length: number): ArrayBuffer | undefined => {
    if (length < 0) return undefined;
    const part = bytes.slice(offset, offset + length);
    offset += length;
    return part;
  };
  const xs = take(header.lengths.xs)!;
  const ys = take(header.lengths.ys);
  const labels = take(header.lengths.labels);
  const payload: DatasetPayload = { ...header.meta, xs };
  if (ys !== undefined) payload.ys = ys;
  if (labels !== undefined) payload.labels = labels;
  return payload;
}
