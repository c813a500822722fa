import { toTriageError } from '@triage/errors';
import {
  EXIF_ORIENTATIONS,
  type HashMediaOptions,
  hashMedia,
  type MediaHashes,
  PDQ_DECODERS,
  resolveHashMediaOptions,
} from '@triage/hashing';
import { type Command, Option } from 'commander';

interface HashFlags {
  decoder: HashMediaOptions['decoder'];
  exifOrientation: HashMediaOptions['exifOrientation'];
  maxPixels?: string;
  strict?: boolean;
}

/** One output line: the file's hashes, or why it has none. */
type HashLine =
  | ({ path: string } & Omit<MediaHashes, 'errorCode' | 'errorMessage'> & {
        error?: { code: string; message: string };
      })
  | { path: string; error: { code: string; message: string } };

function toLine(path: string, result: MediaHashes): HashLine {
  return {
    path,
    size: result.size,
    mediaType: result.mediaType,
    md5: result.md5,
    sha1: result.sha1,
    sha256: result.sha256,
    pdq: result.pdq,
    pdqQuality: result.pdqQuality,
    pdqDihedral: result.pdqDihedral,
    pdqMode: result.pdqMode,
    perceptualStatus: result.perceptualStatus,
    ...(result.errorCode === null
      ? {}
      : { error: { code: result.errorCode, message: result.errorMessage ?? '' } }),
  };
}

/**
 * `triage hash <files...>`: one JSON line per file, in argument order, on stdout:
 * `path, size, mediaType, md5, sha1, sha256, pdq, pdqQuality, pdqDihedral (8), pdqMode,
 * perceptualStatus`, plus `error: {code, message}` when there is one.
 *
 * Exit status: 1 if any file could not be read at all (missing, unreadable: its line has only
 * `path` and `error`) or the options are invalid; an image that cannot be decoded still has its
 * exact hashes and an `error` on its line, and fails the run only with `--strict`.
 */
export function registerHashFilesCommand(program: Command): void {
  program
    .command('hash')
    .description('MD5, SHA-1, SHA-256 and PDQ (with its 8 dihedral hashes) of files, one JSON line each')
    .argument('<files...>', 'files to hash (type sniffed from the bytes, not the name)')
    .addOption(
      new Option('--decoder <decoder>', 'PDQ decoder: reference (bit-exact) or fast (libvips shrink)')
        .choices(PDQ_DECODERS)
        .default('reference'),
    )
    .addOption(
      new Option('--exif-orientation <policy>', 'EXIF orientation before PDQ (lists are hashed with ignore)')
        .choices(EXIF_ORIENTATIONS)
        .default('ignore'),
    )
    .option('--max-pixels <n>', 'refuse images with more pixels (decompression bombs)')
    .option('--strict', 'also exit 1 when an image could not be perceptually hashed')
    .action(async (files: string[], flags: HashFlags) => {
      const options = resolveHashMediaOptions({
        decoder: flags.decoder,
        exifOrientation: flags.exifOrientation,
        ...(flags.maxPixels === undefined ? {} : { maxPixels: Number(flags.maxPixels) }),
      });
      let unread = 0;
      let perceptualErrors = 0;
      for (const path of files) {
        let line: HashLine;
        try {
          const result = await hashMedia(path, options);
          if (result.perceptualStatus === 'error') perceptualErrors++;
          line = toLine(path, result);
        } catch (error) {
          const triageError = toTriageError(error);
          unread++;
          line = { path, error: { code: triageError.code, message: triageError.message } };
        }
        console.log(JSON.stringify(line));
      }
      if (unread > 0 || (flags.strict && perceptualErrors > 0)) process.exitCode = 1;
    });
}
