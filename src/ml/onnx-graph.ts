/**
 * What mia reads of an ONNX file without onnxruntime (the main thread, at plan time, synchronously):
 * its graph's inputs and outputs (name, element type, dimensions) and which operator makes each output.
 * A small protobuf reader for the few fields of onnx.proto it needs; every length is checked against
 * the bytes left before it is used, so a corrupt or hostile file is an error, never a hang or a crash.
 */

/** A malformed ONNX file: the reader's message (the caller names the file). */
export class OnnxFormatError extends Error {}

/** One dimension: a number, or the name of a symbolic one (`batch`), or null when the file leaves it open. */
export type OnnxDim = number | string | null;

export interface OnnxValue {
  name: string;
  /** TensorProto.DataType: 1 float, 11 double, 7 int64 (0 when not a tensor). */
  elemType: number;
  /** null: the file gives no shape. */
  dims: OnnxDim[] | null;
}

export interface OnnxGraph {
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  /** The operator type of the node producing each output (by output name), where a node does. */
  producers: Map<string, string>;
}

/** A graph with more nodes than this is refused (a bound on the work of reading it). */
const MAX_NODES = 1_000_000;

interface Field {
  no: number;
  wire: number;
  /** varint value (wire 0) */
  int: number;
  /** bytes (wire 2) */
  bytes: Uint8Array;
}

/** The fields of one protobuf message, in order; wire types 1 and 5 are skipped, groups refused. */
function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let k = 0; k < 10; k++) {
      if (i >= buf.length) throw new OnnxFormatError('it ends inside a number (truncated)');
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return v;
    }
    throw new OnnxFormatError('it holds a number longer than 10 bytes');
  };
  while (i < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) yield { no, wire, int: varint(), bytes: EMPTY };
    else if (wire === 2) {
      const len = varint();
      if (len > buf.length - i)
        throw new OnnxFormatError(`a field claims ${len} bytes where ${buf.length - i} are left`);
      yield { no, wire, int: 0, bytes: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      if (len > buf.length - i) throw new OnnxFormatError('it ends inside a fixed-size field (truncated)');
      i += len;
    } else throw new OnnxFormatError(`it holds a protobuf wire type ${wire}, which ONNX files do not use`);
  }
}

const EMPTY = new Uint8Array(0);
const text = new TextDecoder('utf-8', { fatal: false });

/** A dimension: TensorShapeProto.Dimension { dim_value = 1; dim_param = 2 }. */
function readDim(buf: Uint8Array): OnnxDim {
  for (const f of fields(buf)) {
    if (f.no === 1 && f.wire === 0) return f.int;
    if (f.no === 2 && f.wire === 2) return text.decode(f.bytes);
  }
  return null;
}

/** ValueInfoProto { name = 1; type = 2 } → TypeProto { tensor_type = 1 } → { elem_type = 1; shape = 2 } → { dim = 1 }. */
function readValue(buf: Uint8Array): OnnxValue {
  const v: OnnxValue = { name: '', elemType: 0, dims: null };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.wire === 2) v.name = text.decode(f.bytes);
    if (f.no !== 2 || f.wire !== 2) continue;
    for (const t of fields(f.bytes)) {
      if (t.no !== 1 || t.wire !== 2) continue;
      for (const tt of fields(t.bytes)) {
        if (tt.no === 1 && tt.wire === 0) v.elemType = tt.int;
        if (tt.no === 2 && tt.wire === 2) {
          v.dims = [];
          for (const d of fields(tt.bytes)) if (d.no === 1 && d.wire === 2) v.dims.push(readDim(d.bytes));
        }
      }
    }
  }
  return v;
}

/** NodeProto { output = 2; op_type = 4 }. */
function readNode(buf: Uint8Array): { op: string; outputs: string[] } {
  let op = '';
  const outputs: string[] = [];
  for (const f of fields(buf)) {
    if (f.no === 2 && f.wire === 2) outputs.push(text.decode(f.bytes));
    if (f.no === 4 && f.wire === 2) op = text.decode(f.bytes);
  }
  return { op, outputs };
}

/** TensorProto { name = 8 }: an initializer's name (graph inputs that are initializers are weights, not inputs). */
function initializerName(buf: Uint8Array): string {
  for (const f of fields(buf)) if (f.no === 8 && f.wire === 2) return text.decode(f.bytes);
  return '';
}

/** ModelProto { graph = 7 } → GraphProto { node = 1; initializer = 5; input = 11; output = 12 }. */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  let graph: Uint8Array | null = null;
  for (const f of fields(bytes)) if (f.no === 7 && f.wire === 2) graph = f.bytes;
  if (!graph) throw new OnnxFormatError('it holds no graph (is it an ONNX model?)');
  const inputs: OnnxValue[] = [];
  const outputs: OnnxValue[] = [];
  const weights = new Set<string>();
  const producers = new Map<string, string>();
  let nodes = 0;
  for (const f of fields(graph)) {
    if (f.wire !== 2) continue;
    if (f.no === 1) {
      if (++nodes > MAX_NODES) throw new OnnxFormatError(`its graph has more than ${MAX_NODES} nodes`);
      const n = readNode(f.bytes);
      for (const o of n.outputs) producers.set(o, n.op);
    } else if (f.no === 5) weights.add(initializerName(f.bytes));
    else if (f.no === 11) inputs.push(readValue(f.bytes));
    else if (f.no === 12) outputs.push(readValue(f.bytes));
  }
  if (!outputs.length) throw new OnnxFormatError('its graph has no output');
  return { inputs: inputs.filter((v) => !weights.has(v.name)), outputs, producers };
}
