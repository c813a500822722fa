// Test helpers: ZIP packages made with yazl, and byte-level edits that make the broken ZIPs
// yazl refuses to write (unsafe names, encryption flags, lying headers). Used by tests only.
import yazl from 'yazl';

export interface ZipEntrySpec {
  readonly name: string;
  readonly data: Buffer;
  /** Deflate (default) or store. */
  readonly compress?: boolean;
}

export async function makeZip(entries: readonly ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(entry.data, entry.name, {
      compress: entry.compress ?? true,
      mtime: new Date(Date.UTC(2026, 0, 1)),
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Replaces an entry name in the local and central headers (same byte length). */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('renameEntry: names must have the same byte length');
  const out = Buffer.from(zip);
  let at = out.indexOf(a);
  if (at < 0) throw new Error(`renameEntry: ${from} not found`);
  while (at >= 0) {
    b.copy(out, at);
    at = out.indexOf(a, at + a.length);
  }
  return out;
}

const CENTRAL_SIGNATURE = 0x02014b50;

/** Edits the central-directory record of one entry (offsets per APPNOTE 4.3.12). */
export function patchCentralRecord(zip: Buffer, name: string, edit: (record: Buffer) => void): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; ) {
    if (out.readUInt32LE(at) === CENTRAL_SIGNATURE) {
      const nameLength = out.readUInt16LE(at + 28);
      if (out.subarray(at + 46, at + 46 + nameLength).toString() === name) {
        edit(out.subarray(at, at + 46));
        return out;
      }
    }
    at = at === 0 ? -1 : out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at - 1);
  }
  throw new Error(`patchCentralRecord: no central record for ${name}`);
}

const LOCAL_SIGNATURE = 0x04034b50;

/** Edits the local header of one entry (offsets per APPNOTE 4.3.7), e.g. to make it agree with a patched central record. */
export function patchLocalHeader(zip: Buffer, name: string, edit: (header: Buffer) => void): Buffer {
  const out = Buffer.from(zip);
  const signature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
  for (let at = out.indexOf(signature); at >= 0; at = out.indexOf(signature, at + 1)) {
    if (out.readUInt32LE(at) !== LOCAL_SIGNATURE) continue;
    const nameLength = out.readUInt16LE(at + 26);
    if (out.subarray(at + 30, at + 30 + nameLength).toString() === name) {
      edit(out.subarray(at, at + 30));
      return out;
    }
  }
  throw new Error(`patchLocalHeader: no local header for ${name}`);
}

/** Where the local header keeps the fields central records also have (APPNOTE 4.3.7). */
export const localOffsets = {
  flags: 6,
  method: 8,
  crc32: 14,
  compressedSize: 18,
  uncompressedSize: 22,
} as const;

export const centralOffsets = {
  flags: 8,
  method: 10,
  crc32: 16,
  compressedSize: 20,
  uncompressedSize: 24,
} as const;
