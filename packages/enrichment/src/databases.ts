import { createHash } from 'node:crypto';
import { type Stats, unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TriageError, toTriageError } from '@triage/errors';
import { Reader, type Response } from 'mmdb-lib';
import { type AsnAnswer, AsnRangeTable } from './asn-ranges.ts';
import type { ParsedIp } from './ip-address.ts';
import { asnAnswerOf, type GeoAnswer, geoAnswerOf } from './record-shape.ts';

/** Which data answered: kept with every answer for hoster attribution. */
export interface DatabaseInfo {
  readonly name: string;
  readonly version: string;
}

/** A loaded database of one kind (country/city answers or ASN answers). */
export interface IpDatabase<T> {
  readonly info: DatabaseInfo;
  lookup(ip: ParsedIp): T | null;
}

const unreadable = (path: string, reason: string, cause?: unknown) =>
  new TriageError('TRIAGE_ENRICH_DATABASE_UNREADABLE', `${path}: ${reason}`, {
    details: { database: basename(path) },
    ...(cause === undefined ? {} : { cause }),
  });

async function readDatabaseFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw unreadable(path, 'cannot be read', error);
  }
}

/** MaxMind DB files end with their metadata, which starts after this marker. */
const mmdbMarker = Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1');

function isMmdb(bytes: Buffer): boolean {
  return bytes.lastIndexOf(mmdbMarker) >= 0;
}

function mmdbReader(path: string, bytes: Buffer): Reader<Response> {
  try {
    return new Reader<Response>(bytes);
  } catch (error) {
    throw unreadable(path, 'is not a MaxMind DB (mmdb) file', error);
  }
}

/** Name and version from the mmdb metadata: its database type and build time. */
function mmdbInfo(reader: Reader<Response>): DatabaseInfo {
  const { databaseType, buildEpoch } = reader.metadata;
  return { name: databaseType, version: buildEpoch.toISOString() };
}

function mmdbDatabase<T>(
  reader: Reader<Response>,
  info: DatabaseInfo,
  map: (record: unknown) => T | null,
): IpDatabase<T> {
  // An IPv4-only tree cannot be walked with 128 bits: such a database knows no IPv6 address.
  const ipv4Only = reader.metadata.ipVersion === 4;
  return { info, lookup: (ip) => (ipv4Only && ip.family === 6 ? null : map(reader.get(ip.text))) };
}

/** A country or city mmdb, in either record shape. `info` names a default package's data. */
export async function loadGeoMmdb(path: string, info?: DatabaseInfo): Promise<IpDatabase<GeoAnswer>> {
  const reader = mmdbReader(path, await readDatabaseFile(path));
  return mmdbDatabase(reader, info ?? mmdbInfo(reader), geoAnswerOf);
}

/**
 * An ASN database: a MaxMind-format mmdb (GeoLite2-ASN, GeoIP2-ISP, ip-location-db asn-mmdb), or
 * ip-location-db ASN CSV text (one file may hold both families), told apart by content.
 * A CSV's version is its content's sha256 (a CSV has no build time of its own).
 */
export async function loadAsnDatabase(
  paths: readonly string[],
  info?: DatabaseInfo,
): Promise<IpDatabase<AsnAnswer>> {
  const files = await Promise.all(paths.map(readDatabaseFile));
  if (files.length === 1 && isMmdb(files[0]!)) {
    const reader = mmdbReader(paths[0]!, files[0]!);
    return mmdbDatabase(reader, info ?? mmdbInfo(reader), asnAnswerOf);
  }
  const digest = createHash('sha256');
  for (const file of files) digest.update(file);
  const table = AsnRangeTable.fromCsv(
    files.map((file) => file.toString('utf8')),
    paths.map((path) => basename(path)).join('+'),
  );
  return {
    info: info ?? {
      name: `csv:${basename(paths[0]!)}`,
      version: `sha256:${digest.digest('hex').slice(0, 16)}`,
    },
    lookup: (ip) => table.lookup(ip),
  };
}

export interface ReloadOptions {
  /** How often the file's stat is polled, in ms. */
  intervalMs: number;
  onReload?: (info: DatabaseInfo) => void;
  onReloadError?: (error: TriageError) => void;
}

/**
 * A database read from a file that operators replace while the service runs. The file's stat is
 * polled (a polled stat also sees a file renamed into place, which inotify-style watches lose);
 * on a change the file is read and parsed in full, and only then swapped in, so lookups never
 * see a half-written file. A file that does not load leaves the old data in use.
 */
export class ReloadingDatabase<T> implements IpDatabase<T> {
  readonly #path: string;
  readonly #load: (path: string) => Promise<IpDatabase<T>>;
  readonly #options: ReloadOptions;
  readonly #listener: (current: Stats, previous: Stats) => void;
  #current: IpDatabase<T>;
  #loading: Promise<void> | null = null;
  #again = false;
  #closed = false;

  constructor(
    path: string,
    initial: IpDatabase<T>,
    load: (path: string) => Promise<IpDatabase<T>>,
    options: ReloadOptions,
  ) {
    this.#path = path;
    this.#current = initial;
    this.#load = load;
    this.#options = options;
    this.#listener = (current, previous) => {
      // A removed file (all-zero stat) keeps the old data until a new one appears.
      if (current.mtimeMs === 0 && current.ino === 0) return;
      if (
        current.mtimeMs === previous.mtimeMs &&
        current.size === previous.size &&
        current.ino === previous.ino
      )
        return;
      this.#reload();
    };
    // Not persistent: a watcher alone never keeps the process alive.
    watchFile(path, { interval: options.intervalMs, persistent: false }, this.#listener);
  }

  get info(): DatabaseInfo {
    return this.#current.info;
  }

  lookup(ip: ParsedIp): T | null {
    return this.#current.lookup(ip);
  }

  /** Resolves once any reload in progress has finished (for an orderly close and for tests). */
  async settled(): Promise<void> {
    while (this.#loading) await this.#loading;
  }

  async close(): Promise<void> {
    this.#closed = true;
    unwatchFile(this.#path, this.#listener);
    await this.settled();
  }

  #reload(): void {
    if (this.#closed) return;
    if (this.#loading) {
      this.#again = true;
      return;
    }
    this.#loading = this.#load(this.#path)
      .then(
        (next) => {
          if (this.#closed) return;
          this.#current = next;
          this.#options.onReload?.(next.info);
        },
        (error: unknown) => {
          this.#options.onReloadError?.(toTriageError(error, 'TRIAGE_ENRICH_DATABASE_UNREADABLE'));
        },
      )
      .finally(() => {
        this.#loading = null;
        if (this.#again) {
          this.#again = false;
          this.#reload();
        }
      });
  }
}
