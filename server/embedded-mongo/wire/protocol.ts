import { deserialize, serialize } from 'bson';
import type { Document } from '../documents';
import { crc32c } from './crc32c';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** Limits advertised in `hello`; anything larger is refused at the framing layer. */
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;
/** A command body may exceed a document by the headroom mongod allows for the command itself. */
const MAX_COMMAND_BYTES = MAX_BSON_OBJECT_BYTES + 16 * 1024;

const FLAG_CHECKSUM = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
const FLAG_EXHAUST_ALLOWED = 1 << 16;
const KNOWN_FLAGS = FLAG_CHECKSUM | FLAG_MORE_TO_COME | FLAG_EXHAUST_ALLOWED;
/** OP_MSG: bits 0-15 are required; an unknown one set there means we cannot process the message. */
const REQUIRED_FLAG_MASK = 0xffff;

export interface MessageHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type Request =
  | { kind: 'msg'; header: MessageHeader; body: Document; moreToCome: boolean }
  | { kind: 'query'; header: MessageHeader; collection: string; body: Document };

/** A message that violates the protocol: the connection that sent it is closed. */
export class ProtocolError extends Error {}

export function readHeader(buf: Buffer): MessageHeader {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function readDocument(buf: Buffer, offset: number, end: number, max: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`BSON document length ${size} runs past the message`);
  if (size > max) throw new ProtocolError(`BSON document of ${size} bytes exceeds the ${max}-byte limit`);
  let doc: Document;
  try {
    doc = deserialize(buf.subarray(offset, offset + size), { validation: { utf8: true } }) as Document;
  } catch (err) {
    throw new ProtocolError(`malformed BSON: ${(err as Error).message}`);
  }
  return { doc, next: offset + size };
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated C string');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (header included); throws ProtocolError on anything malformed. */
export function parseMessage(buf: Buffer): Request {
  const header = readHeader(buf);
  if (header.opCode === OP_MSG) return parseOpMsg(buf, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(buf, header);
  if (header.opCode === OP_COMPRESSED) throw new ProtocolError('OP_COMPRESSED received but compression was never negotiated');
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function parseOpMsg(buf: Buffer, header: MessageHeader): Request {
  if (buf.length < 21) throw new ProtocolError('OP_MSG too short');
  const flags = buf.readUInt32LE(16);
  if (flags & REQUIRED_FLAG_MASK & ~KNOWN_FLAGS) throw new ProtocolError(`OP_MSG has unknown required flag bits 0x${flags.toString(16)}`);
  let end = buf.length;
  if (flags & FLAG_CHECKSUM) {
    end -= 4;
    if (end < 21) throw new ProtocolError('OP_MSG too short for its checksum');
    const expected = buf.readUInt32LE(end);
    if (crc32c(buf, 0, end) !== expected) throw new ProtocolError('OP_MSG checksum mismatch');
  }
  let offset = 20;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = buf[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one body section');
      const r = readDocument(buf, offset, end, MAX_COMMAND_BYTES);
      body = r.doc;
      offset = r.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = buf.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new ProtocolError(`document sequence length ${size} runs past the message`);
      const id = readCString(buf, offset + 4, seqEnd);
      const docs: Document[] = [];
      let p = id.next;
      while (p < seqEnd) {
        const r = readDocument(buf, p, seqEnd, MAX_BSON_OBJECT_BYTES);
        docs.push(r.doc);
        p = r.next;
      }
      sequences.push([id.value, docs]);
      offset = seqEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG has no body section');
  for (const [id, docs] of sequences) {
    if (id in body) throw new ProtocolError(`document sequence '${id}' duplicates a body field`);
    body[id] = docs;
  }
  return { kind: 'msg', header, body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(buf: Buffer, header: MessageHeader): Request {
  if (buf.length < 20) throw new ProtocolError('OP_QUERY too short');
  const coll = readCString(buf, 20, buf.length);
  const offset = coll.next + 8;
  if (offset > buf.length) throw new ProtocolError('truncated OP_QUERY');
  const { doc } = readDocument(buf, offset, buf.length, MAX_COMMAND_BYTES);
  const body = doc.$query !== null && typeof doc.$query === 'object' && !Array.isArray(doc.$query) ? (doc.$query as Document) : doc;
  return { kind: 'query', header, collection: coll.value, body };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeOpMsg(doc: Document, requestId: number, responseTo: number): Buffer {
  const body = serialize(doc);
  const out = Buffer.allocUnsafe(21 + body.length);
  header(out.length, requestId, responseTo, OP_MSG).copy(out, 0);
  out.writeUInt32LE(0, 16);
  out[20] = 0;
  out.set(body, 21);
  return out;
}

export function encodeOpReply(doc: Document, requestId: number, responseTo: number): Buffer {
  const body = serialize(doc);
  const out = Buffer.allocUnsafe(36 + body.length);
  header(out.length, requestId, responseTo, OP_REPLY).copy(out, 0);
  out.writeInt32LE(0, 16);
  out.writeBigInt64LE(0n, 20);
  out.writeInt32LE(0, 28);
  out.writeInt32LE(1, 32);
  out.set(body, 36);
  return out;
}
