import { crc32c } from '../wire/crc32c';

/**
 * Journal and snapshot files are sequences of records: payload length (u32 LE), CRC-32C of
 * the payload (u32 LE), payload. A record that is cut short or fails its checksum marks the
 * end of what was durably written.
 */
export const RECORD_HEADER_BYTES = 8;

export function frameRecord(payload: Uint8Array): Uint8Array[] {
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32c(payload), 4);
  return [header, payload];
}

export interface RecordScan {
  records: Buffer[];
  /** Where each record (its header) starts in the data; sealed records are bound to it. */
  offsets: number[];
  /** Bytes of the file that hold complete, valid records. */
  validLength: number;
  /** Why scanning stopped before the end of the data, if it did. */
  problem?: string;
}

export function scanRecords(data: Buffer): RecordScan {
  const records: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + RECORD_HEADER_BYTES > data.length) {
      return { records, offsets, validLength: offset, problem: `partial record header at byte ${offset}` };
    }
    const length = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    const start = offset + RECORD_HEADER_BYTES;
    if (start + length > data.length) {
      return { records, offsets, validLength: offset, problem: `record at byte ${offset} claims ${length} bytes but the file ends first` };
    }
    if (crc32c(data, start, start + length) !== checksum) {
      return { records, offsets, validLength: offset, problem: `checksum mismatch in record at byte ${offset}` };
    }
    records.push(data.subarray(start, start + length));
    offsets.push(offset);
    offset = start + length;
  }
  return { records, offsets, validLength: offset };
}

/** Splits a record payload made of concatenated BSON documents. */
export function splitBsonSequence(payload: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= payload.length) {
    const size = payload.readInt32LE(offset);
    if (size < 5 || offset + size > payload.length) throw new Error(`corrupt BSON sequence at byte ${offset}`);
    out.push(payload.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== payload.length) throw new Error('trailing bytes after BSON sequence');
  return out;
}
