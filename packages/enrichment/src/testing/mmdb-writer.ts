// A small MaxMind DB (MMDB 2.0) writer for tests: it makes database files in MaxMind's nested
// GeoIP2 shape or ip-location-db's flat shape without shipping licensed data. Written from the
// format specification (maxmind.github.io/MaxMind-DB); supports what the tests need: an IPv6 tree
// (IPv4 networks under ::/96), 24-bit records, and maps, arrays, strings, unsigned integers,
// doubles and booleans.
import { parseIp } from '../ip-address.ts';

type MmdbValue = string | number | boolean | readonly MmdbValue[] | { readonly [key: string]: MmdbValue };

interface MmdbNetwork {
  /** `192.0.2.0/24` or `2001:db8::/32`. */
  readonly cidr: string;
  readonly record: MmdbValue;
}

export interface MmdbFileOptions {
  readonly databaseType: string;
  /** Build time, seconds since the epoch. */
  readonly buildEpoch: number;
  readonly networks: readonly MmdbNetwork[];
  readonly description?: string;
}

const metadataMarker = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

type Child = TrieNode | { readonly data: number } | null;
interface TrieNode {
  children: [Child, Child];
}

/** The network's address as 128 bits (IPv4 under ::/96) and its prefix length in that tree. */
function networkBits(cidr: string): { bits: number[]; length: number } {
  const [address, prefix] = cidr.split('/') as [string, string];
  const ip = parseIp(address);
  if (ip === null) throw new Error(`not a network: ${cidr}`);
  const words = ip.family === 4 ? [0, 0, 0, ip.words[0]!] : [...ip.words];
  const bits = words.flatMap((word) => Array.from({ length: 32 }, (_, bit) => (word >>> (31 - bit)) & 1));
  return { bits, length: Number(prefix) + (ip.family === 4 ? 96 : 0) };
}

function insert(root: TrieNode, cidr: string, data: number): void {
  const { bits, length } = networkBits(cidr);
  let node = root;
  for (let depth = 0; depth < length - 1; depth++) {
    const bit = bits[depth]!;
    let child = node.children[bit]!;
    if (child === null || !('children' in child)) {
      // A data leaf above a more specific network: both halves keep the wider network's data.
      const next: TrieNode = { children: [child, child] };
      node.children[bit] = next;
      child = next;
    }
    node = child;
  }
  node.children[bits[length - 1]!] = { data };
}

class DataWriter {
  readonly #chunks: Buffer[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  write(value: MmdbValue): void {
    if (typeof value === 'string') {
      const bytes = Buffer.from(value, 'utf8');
      this.#control(2, bytes.length);
      this.#push(bytes);
    } else if (typeof value === 'boolean') {
      this.#control(14, value ? 1 : 0);
    } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff) {
      const bytes = unsignedBytes(value);
      this.#control(value <= 0xffff ? 5 : 6, bytes.length);
      this.#push(bytes);
    } else if (typeof value === 'number') {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleBE(value);
      this.#control(3, 8);
      this.#push(bytes);
    } else if (Array.isArray(value)) {
      this.#control(11, value.length);
      for (const each of value) this.write(each);
    } else {
      const entries = Object.entries(value as Record<string, MmdbValue>);
      this.#control(7, entries.length);
      for (const [key, each] of entries) {
        this.write(key);
        this.write(each);
      }
    }
  }

  writeMapHeader(pairs: number): void {
    this.#control(7, pairs);
  }

  /** An unsigned 64-bit value (build_epoch). */
  writeUint64(value: number): void {
    const bytes = unsignedBytes(value);
    this.#control(9, bytes.length);
    this.#push(bytes);
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  #control(type: number, size: number): void {
    const extended = type > 7;
    const first = (extended ? 0 : type << 5) | (size < 29 ? size : size < 285 ? 29 : size < 65_821 ? 30 : 31);
    const bytes = [first];
    if (extended) bytes.push(type - 7);
    if (size >= 29 && size < 285) bytes.push(size - 29);
    else if (size >= 285 && size < 65_821) bytes.push((size - 285) >> 8, (size - 285) & 255);
    else if (size >= 65_821)
      bytes.push(((size - 65_821) >> 16) & 255, ((size - 65_821) >> 8) & 255, (size - 65_821) & 255);
    this.#push(Buffer.from(bytes));
  }

  #push(bytes: Buffer): void {
    this.#chunks.push(bytes);
    this.#size += bytes.length;
  }
}

function unsignedBytes(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes);
}

/** The bytes of an MMDB file holding `networks` (disjoint, or more specific after wider). */
export function writeMmdb(options: MmdbFileOptions): Buffer {
  const data = new DataWriter();
  const root: TrieNode = { children: [null, null] };
  for (const network of options.networks) {
    const offset = data.size;
    data.write(network.record);
    insert(root, network.cidr, offset);
  }
  // Number the nodes breadth-first; a record then points to a node, to "no data" or into the data.
  const nodes: TrieNode[] = [root];
  for (let index = 0; index < nodes.length; index++) {
    for (const child of nodes[index]!.children) if (child !== null && 'children' in child) nodes.push(child);
  }
  const numbers = new Map(nodes.map((node, index) => [node, index]));
  const nodeCount = nodes.length;
  const recordValue = (child: Child): number =>
    child === null ? nodeCount : 'children' in child ? numbers.get(child)! : nodeCount + 16 + child.data;
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach((node, index) => {
    tree.writeUIntBE(recordValue(node.children[0]), index * 6, 3);
    tree.writeUIntBE(recordValue(node.children[1]), index * 6 + 3, 3);
  });
  const fields: Record<string, MmdbValue> = {
    node_count: nodeCount,
    record_size: 24,
    ip_version: 6,
    database_type: options.databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    description: { en: options.description ?? 'synthetic test data' },
  };
  // build_epoch is a uint64, which `write` never picks for a number: the map is written by hand.
  const metadata = new DataWriter();
  metadata.writeMapHeader(Object.keys(fields).length + 1);
  for (const [key, value] of Object.entries(fields)) {
    metadata.write(key);
    metadata.write(value);
  }
  metadata.write('build_epoch');
  metadata.writeUint64(options.buildEpoch);
  return Buffer.concat([tree, Buffer.alloc(16), data.bytes(), metadataMarker, metadata.bytes()]);
}
