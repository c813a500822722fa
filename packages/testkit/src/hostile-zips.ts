// Test helpers: ZIP archives written byte by byte (APPNOTE 4.3), so that a test can build the
// constructions no ZIP writer makes: central records sharing one local entry, entries quoting
// each other, local headers that disagree with the central directory, sizes that lie. Every
// payload is zeros or seeded bytes; nothing here is real data.
import { crc32, deflateRawSync } from 'node:zlib';

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const DOS_DATE_2026_01_01 = ((2026 - 1980) << 9) | (1 << 5) | 1;

/** The fields a local header and a central record both carry. */
export interface ZipEntryFields {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

/** A local header and the bytes after it, written in order. */
export interface CraftedLocal extends ZipEntryFields {
  readonly data: Buffer;
}

/** A central record pointing at `local` (its index in the locals), with its own fields. */
export interface CraftedCentral extends ZipEntryFields {
  readonly local: number;
}

/** The fields and stored bytes of an honest entry: deflated (default) or stored. */
export function zipEntry(name: string, content: Buffer, options: { store?: boolean } = {}): CraftedLocal {
  const data = options.store ? content : deflateRawSync(content);
  return {
    name,
    method: options.store ? 0 : 8,
    flags: 0,
    crc32: crc32(content),
    compressedSize: data.length,
    uncompressedSize: content.length,
    data,
  };
}

/** The fields of a local entry, as an honest central record would repeat them. */
export function centralFor(local: CraftedLocal, index: number): CraftedCentral {
  const { data: _data, ...fields } = local;
  return { ...fields, local: index };
}

/** The run both headers share (local from byte 6, central from byte 8): flags to name length. */
function writeSharedFields(header: Buffer, at: number, fields: ZipEntryFields, nameLength: number): void {
  header.writeUInt16LE(fields.flags, at);
  header.writeUInt16LE(fields.method, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(DOS_DATE_2026_01_01, at + 6);
  header.writeUInt32LE(fields.crc32 >>> 0, at + 8);
  header.writeUInt32LE(fields.compressedSize, at + 12);
  header.writeUInt32LE(fields.uncompressedSize, at + 16);
  header.writeUInt16LE(nameLength, at + 20);
}

export function localHeader(fields: ZipEntryFields): Buffer {
  const name = Buffer.from(fields.name);
  const header = Buffer.alloc(LOCAL_HEADER_BYTES);
  header.writeUInt32LE(LOCAL_SIGNATURE, 0);
  header.writeUInt16LE(20, 4);
  writeSharedFields(header, 6, fields, name.length);
  return Buffer.concat([header, name]);
}

function centralRecord(fields: ZipEntryFields, offset: number): Buffer {
  const name = Buffer.from(fields.name);
  const record = Buffer.alloc(CENTRAL_HEADER_BYTES);
  record.writeUInt32LE(CENTRAL_SIGNATURE, 0);
  record.writeUInt16LE(20, 4);
  record.writeUInt16LE(20, 6);
  writeSharedFields(record, 8, fields, name.length);
  record.writeUInt32LE(offset, 42);
  return Buffer.concat([record, name]);
}

/**
 * Writes `locals` (header then data) one after another, then a central record per `centrals`
 * entry at its local's offset (or `offset` when given), then the end record.
 */
export function craftZip(
  locals: readonly CraftedLocal[],
  centrals: readonly (CraftedCentral & { offset?: number })[],
): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const local of locals) {
    offsets.push(at);
    const header = localHeader(local);
    parts.push(header, local.data);
    at += header.length + local.data.length;
  }
  const directoryOffset = at;
  for (const central of centrals) {
    const record = centralRecord(central, central.offset ?? offsets[central.local]!);
    parts.push(record);
    at += record.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIGNATURE, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(at - directoryOffset, 12);
  end.writeUInt32LE(directoryOffset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/** The locals in order, each with an honest central record. */
export function honestZip(locals: readonly CraftedLocal[]): Buffer {
  return craftZip(
    locals,
    locals.map((local, index) => centralFor(local, index)),
  );
}

const MiB = 1024 * 1024;

/** `bundle.json` naming one `a.png` of report `reportId`: the manifest the hostile ZIPs carry. */
export function hostileManifest(bundleRef: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      bundleRef,
      reports: [
        {
          reportId: 'hostile-1',
          incidentType: 'Online Enticement of Children for Sexual Acts',
          incidentDateTime: '2026-11-20T21:14:00Z',
          reporter: { companyName: 'Example Social', espService: 'Photos' },
          files: [{ fileId: 'f-1', name: 'a.png' }],
        },
      ],
    }),
  );
}

/**
 * Issue 11's construction: `entries` central records, each under its own name, all pointing at
 * one local entry of `entrySize` zeros (1 MiB deflates to ~1 KiB), after a manifest.
 */
export function sharedLocalBomb(manifest: Buffer, entries = 3_000, entrySize = MiB): Buffer {
  const documentEntry = zipEntry('bundle.json', manifest);
  const kernel = zipEntry('media/m-0.bin', Buffer.alloc(entrySize));
  const centrals = Array.from({ length: entries }, (_, i) => ({
    ...centralFor(kernel, 1),
    name: `media/m-${i}.bin`,
  }));
  return craftZip([documentEntry, kernel], [centralFor(documentEntry, 0), ...centrals]);
}

/**
 * Fifield's quoted overlap: entry i's deflate stream is a stored block quoting entry i+1's local
 * header, then entry i+1's own stream, down to one kernel of `kernelSize` zeros. Every local
 * header agrees with its central record and every CRC is right; only the overlap gives it away.
 */
export function quotedOverlapBomb(manifest: Buffer, entries = 200, kernelSize = MiB): Buffer {
  const documentEntry = zipEntry('bundle.json', manifest);
  const kernelData = deflateRawSync(Buffer.alloc(kernelSize));
  const names = Array.from({ length: entries }, (_, i) => `media/q-${String(i).padStart(4, '0')}.bin`);
  // Built from the last entry back: each one's output is the next header plus the next output.
  let next: ZipEntryFields | null = null;
  const chain: { fields: ZipEntryFields; quote: Buffer }[] = [];
  for (let i = entries - 1; i >= 0; i--) {
    if (next === null) {
      const fields: ZipEntryFields = {
        name: names[i]!,
        method: 8,
        flags: 0,
        crc32: crc32(Buffer.alloc(kernelSize)),
        compressedSize: kernelData.length,
        uncompressedSize: kernelSize,
      };
      next = fields;
      chain.unshift({ fields, quote: Buffer.alloc(0) });
      continue;
    }
    const quoted = localHeader(next);
    const quote = Buffer.alloc(5);
    quote.writeUInt8(0, 0);
    quote.writeUInt16LE(quoted.length, 1);
    quote.writeUInt16LE(~quoted.length & 0xffff, 3);
    const fields: ZipEntryFields = {
      name: names[i]!,
      method: 8,
      flags: 0,
      // crc32(quoted ++ next output), continued from the quoted header's CRC.
      crc32: crc32Combine(crc32(quoted), next.crc32, next.uncompressedSize),
      compressedSize: quote.length + quoted.length + next.compressedSize,
      uncompressedSize: quoted.length + next.uncompressedSize,
    };
    next = fields;
    chain.unshift({ fields, quote });
  }
  const documentHeader = localHeader(documentEntry);
  const parts: Buffer[] = [documentHeader, documentEntry.data];
  const offsets: number[] = [];
  let at = documentHeader.length + documentEntry.data.length;
  for (const link of chain) {
    offsets.push(at);
    const header = localHeader(link.fields);
    parts.push(header, link.quote);
    at += header.length + link.quote.length;
  }
  parts.push(kernelData);
  const body = Buffer.concat(parts);
  const centrals = [
    { ...centralFor(documentEntry, 0), offset: 0 },
    ...chain.map((link, i) => ({ ...link.fields, local: -1, offset: offsets[i]! })),
  ];
  // The locals are already written: craftZip adds only the directory after them.
  const directory = craftZip([], centrals);
  return patchDirectoryOffset(Buffer.concat([body, directory]), body.length);
}

/** Moves the end record's directory offset on by `by` bytes (a directory appended after `by` bytes). */
function patchDirectoryOffset(zip: Buffer, by: number): Buffer {
  const end = zip.length - 22;
  zip.writeUInt32LE(zip.readUInt32LE(end + 16) + by, end + 16);
  return zip;
}

/** CRC-32 of A ++ B from crc(A), crc(B) and B's length (zlib's crc32_combine). */
function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // CRC is affine over GF(2): crc(A ++ B) = crc(A ++ 0^n) xor crc(0^n) xor crc(B).
  const zeros = Buffer.alloc(Math.min(lengthB, 1 << 20));
  let extended = crcA;
  let zerosCrc = 0;
  for (let left = lengthB; left > 0; left -= zeros.length) {
    const chunk = left >= zeros.length ? zeros : zeros.subarray(0, left);
    extended = crc32(chunk, extended);
    zerosCrc = crc32(chunk, zerosCrc);
  }
  return (extended ^ zerosCrc ^ crcB) >>> 0;
}

/** Entries whose data ranges overlap without sharing a start: b's offset falls inside a's data. */
export function overlappingEntries(manifest: Buffer): Buffer {
  const documentEntry = zipEntry('bundle.json', manifest);
  const inner = zipEntry('media/inner.bin', Buffer.alloc(64 * 1024));
  const innerBytes = Buffer.concat([localHeader(inner), inner.data]);
  // `outer` stores the inner entry whole: its data is inner's header and data.
  const outer = zipEntry('media/outer.bin', innerBytes, { store: true });
  const innerOffset =
    localHeader(documentEntry).length + documentEntry.data.length + localHeader(outer).length;
  return craftZip(
    [documentEntry, outer],
    [centralFor(documentEntry, 0), centralFor(outer, 1), { ...centralFor(inner, -1), offset: innerOffset }],
  );
}

/** An honest package but for `a.png`'s local header, which `edit` changes (name, method, sizes, flags). */
export function lyingLocalHeader(manifest: Buffer, edit: Partial<ZipEntryFields>, image: Buffer): Buffer {
  const documentEntry = zipEntry('bundle.json', manifest);
  const media = zipEntry('a.png', image, { store: true });
  return craftZip(
    [documentEntry, { ...media, ...edit, data: media.data }],
    [centralFor(documentEntry, 0), centralFor(media, 1)],
  );
}

/** `count` media entries of `entrySize` zeros each (each under the ratio exemption, together a bomb). */
export function manySmallEntries(manifest: Buffer, count: number, entrySize = MiB): Buffer {
  const documentEntry = zipEntry('bundle.json', manifest);
  return honestZip([
    documentEntry,
    ...Array.from({ length: count }, (_, i) => zipEntry(`media/s-${i}.bin`, Buffer.alloc(entrySize))),
  ]);
}

/**
 * `a.png` declares `declaredSize` bytes in both headers (CRC of those bytes) but its stream
 * inflates to `actualSize` zeros: the reader must stop at the first byte past the declaration.
 */
export function lyingDeclaredSize(manifest: Buffer, declaredSize: number, actualSize: number): Buffer {
  const documentEntry = zipEntry('bundle.json', manifest);
  const real = zipEntry('a.png', Buffer.alloc(actualSize));
  const lying: CraftedLocal = {
    ...real,
    uncompressedSize: declaredSize,
    crc32: crc32(Buffer.alloc(declaredSize)),
  };
  return craftZip([documentEntry, lying], [centralFor(documentEntry, 0), centralFor(lying, 1)]);
}
