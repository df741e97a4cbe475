/**
 * Tiny writers for the model headers the header-lie tests assemble byte by byte: .npy, safetensors,
 * GGUF (v1 or v3), and protobuf messages (ONNX ModelProto, TF GraphDef / SavedModel). Each lets a test
 * put a payload first and a lie after it.
 */

/** A protocol-0 pickle that calls os.system when loaded. */
export const EVIL_PICKLE = Buffer.from("cposix\nsystem\n(S'echo pwned'\ntR.", 'latin1');
export const SSTI = "{{ ''.__class__.__mro__[1].__subclasses__() }}";

const le64 = (n: bigint): Buffer => Buffer.from(new BigUint64Array([n]).buffer);
const le32 = (n: number): Buffer => Buffer.from(new Uint32Array([n]).buffer);

/** An .npy file (version 1.0, or 2.0 with a u32 header length) with the dict literal and body given. */
export function npy(dict: string, body: Uint8Array, version: 1 | 2 = 1): Buffer {
  const pre = version === 1 ? 10 : 12;
  const pad = (64 - ((pre + dict.length + 1) % 64)) % 64;
  const header = Buffer.from(`${dict}${' '.repeat(pad)}\n`, 'latin1');
  const len = version === 1 ? Buffer.from([header.length & 0xff, header.length >> 8]) : le32(header.length);
  return Buffer.concat([Buffer.from(`\x93NUMPY${String.fromCharCode(version)}\x00`, 'latin1'), len, header, body]);
}
export const npyDict = (descr: string, shape: string, fortran = false): string => `{'descr': ${descr.startsWith('[') ? descr : `'${descr}'`}, 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape}), }`;

/** A safetensors file: the header JSON text as given (duplicates survive), its declared length, a body. */
export function safetensors(json: string, body: Uint8Array, declared?: bigint): Buffer {
  const h = Buffer.from(json);
  return Buffer.concat([le64(declared ?? BigInt(h.length)), h, body]);
}

/** GGUF writer: v3 (u64 counts and lengths) or v1 (u32); no padding after the last KV unless given. */
export function gguf(kvs: Buffer[], o: { version?: 1 | 3; kvCount?: bigint; tensorCount?: bigint; tail?: Buffer } = {}): Buffer {
  const n = (x: bigint): Buffer => (o.version === 1 ? le32(Number(x)) : le64(x));
  return Buffer.concat([Buffer.from('GGUF'), le32(o.version ?? 3), n(o.tensorCount ?? 0n), n(o.kvCount ?? BigInt(kvs.length)), ...kvs, o.tail ?? Buffer.alloc(0)]);
}
export function ggufString(key: string, value: string, version: 1 | 3 = 3): Buffer {
  const s = (t: string): Buffer => Buffer.concat([version === 1 ? le32(Buffer.byteLength(t)) : le64(BigInt(Buffer.byteLength(t))), Buffer.from(t)]);
  return Buffer.concat([s(key), le32(8), s(value)]);
}

// protobuf: varint, tag, length-delimited and varint fields
export function varint(v: bigint | number): Buffer {
  let n = BigInt(v);
  const out: number[] = [];
  do {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? b | 0x80 : b);
  } while (n > 0n);
  return Buffer.from(out);
}
export const pbLen = (no: number, payload: Uint8Array | string): Buffer => {
  const p = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  return Buffer.concat([varint(no * 8 + 2), varint(p.length), p]);
};
export const pbInt = (no: number, v: bigint | number): Buffer => Buffer.concat([varint(no * 8), varint(v)]);
/** A LEN field header that declares `length` bytes, followed by `payload` (which may be shorter). */
export const pbLie = (no: number, length: bigint, payload: Uint8Array = Buffer.alloc(0)): Buffer => Buffer.concat([varint(no * 8 + 2), varint(length), payload]);
/** A tag followed by an eleven-byte varint (the wire format allows ten). */
export const pbOverlong = (no: number, wt: 0 | 2): Buffer => Buffer.concat([varint(no * 8 + wt), Buffer.alloc(10, 0x80), Buffer.from([0x01])]);

/** ONNX pieces: a node of a custom domain running a Python op, an initializer with external data. */
export const onnxPyNode = pbLen(1, Buffer.concat([pbLen(3, 'evil'), pbLen(4, 'PyOp'), pbLen(7, 'ai.onnx.contrib')]));
export const onnxExternalTensor = pbLen(5, Buffer.concat([pbInt(1, 4), pbInt(2, 1), pbLen(8, 'w'), pbLen(13, Buffer.concat([pbLen(1, 'location'), pbLen(2, '../../../etc/passwd')])), pbInt(14, 1)]));
export const onnxHead = Buffer.concat([pbInt(1, 8), pbLen(2, 'mlvet-test'), pbLen(8, Buffer.concat([pbLen(1, ''), pbInt(2, 17)]))]);

/** TF: a NodeDef running PyFunc, and one reading a file. */
export const tfNode = (name: string, op: string): Buffer => pbLen(1, Buffer.concat([pbLen(1, name), pbLen(2, op)]));
/** A SavedModel whose one MetaGraphDef holds `graph` (the GraphDef's fields). */
export const savedModel = (graph: Buffer): Buffer => Buffer.concat([pbInt(1, 1), pbLen(2, Buffer.concat([pbLen(1, Buffer.alloc(80)), pbLen(2, graph)]))]);
