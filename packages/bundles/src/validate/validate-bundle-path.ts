import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';
import type { Bundle, BundleFormat } from '@triage/schemas';
import { PackageCollector } from '../assembly/package-collector.ts';
import { toBundleRecord } from '../envelope/bundle-record.ts';
import { type BundleLimits, defaultBundleLimits } from '../limits.ts';
import { readDirectoryPackage } from '../package/directory-package.ts';
import { createHashingMediaSink } from '../package/hashing-media-sink.ts';
import { readZipPackage } from '../package/zip-package.ts';
import type { MediaSink } from '../parsed-bundle.ts';

export interface ValidateBundleOptions {
  readonly limits?: BundleLimits;
  /** Partner id for the ids (default `local`). */
  readonly partnerId?: string;
  /** The request's partner report id, as intake's `reportId` query parameter (XML packages). */
  readonly reportId?: string;
  /** The request's bundle reference, as intake's `Idempotency-Key` header. */
  readonly bundleRef?: string;
  /** Where media bytes go (default: hashed and dropped); `triage explain` hashes them for PDQ too. */
  readonly sink?: MediaSink;
}

/** Partner id `bundle validate` uses when none is given. */
const LOCAL_PARTNER = 'local';

/**
 * Runs intake's parsing, validation and limits offline on a file (`.json`, `.xml`, `.zip`) or a
 * package directory, hashing media without keeping it. Every report gets version 1. Throws the
 * TriageError intake would answer with.
 */
export async function validateBundlePath(
  target: string,
  options: ValidateBundleOptions = {},
): Promise<{ bundle: Bundle }> {
  const limits = options.limits ?? defaultBundleLimits;
  const collector = new PackageCollector({
    limits,
    sink: options.sink ?? createHashingMediaSink(),
    ...(options.reportId === undefined ? {} : { reportId: options.reportId }),
    ...(options.bundleRef === undefined ? {} : { bundleRef: options.bundleRef }),
  });
  const info = await stat(target).catch((error: unknown) => {
    throw new TriageError('TRIAGE_BUNDLE_NOT_FOUND', `No file or folder at ${target}`, { cause: error });
  });
  const extension = path.extname(target).toLowerCase();
  let format: BundleFormat;
  let sourceSha256: string | null = null;
  if (info.isDirectory()) {
    format = 'unknown';
    await readDirectoryPackage(target, collector, limits);
  } else if (extension === '.zip') {
    format = 'zip';
    await readZipPackage(target, collector, limits);
    sourceSha256 = await sha256OfFile(target);
  } else if (extension === '.json' || extension === '.xml') {
    format = extension === '.json' ? 'json' : 'xml';
    const name = path.basename(target);
    if (info.size > limits.maxDocumentBytes) {
      throw new TriageError(
        'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
        `${name} has ${info.size} bytes, more than the ${limits.maxDocumentBytes} a document may have`,
        { pointer: name, details: { limit: limits.maxDocumentBytes } },
      );
    }
    const bytes = await readFile(target);
    collector.addDocument(name, bytes);
    sourceSha256 = createHash('sha256').update(bytes).digest('hex');
  } else {
    throw new TriageError(
      'TRIAGE_BUNDLE_CONTENT_TYPE',
      `${path.basename(target)}: give a .json, .xml or .zip file or a package folder`,
      { pointer: '' },
    );
  }
  const assembled = collector.finish();
  // Intake takes an XML package's reference from the Idempotency-Key header; offline, without
  // --bundle-ref, the report id stands in.
  const partnerBundleRef =
    assembled.partnerBundleRef ?? `local-${assembled.reports[0]?.partnerReportId ?? 'bundle'}`;
  const bundle = toBundleRecord(assembled, {
    partnerId: options.partnerId ?? LOCAL_PARTNER,
    partnerBundleRef,
    receivedAt: Date.now(),
    format,
    sourceSha256,
    versionOf: () => 1,
  });
  return { bundle };
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
