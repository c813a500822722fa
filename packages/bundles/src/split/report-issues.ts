import type { BundledReport, Report, ReportFile, ReportIssue } from '@triage/schemas';

/**
 * Warnings the split records on a report's status: never fatal, the report is split anyway.
 * Pointers are JSON pointers in the project manifest's layout (`/reports/<i>/files/<j>/hashes/<k>`,
 * reports in bundle order, files in report order), so a partner finds the element it sent.
 * Messages name ids and hash types only: no values, no personal data.
 */
export function reportIssues(bundled: BundledReport, reportIndex: number, split: Report): ReportIssue[] {
  const at = `/reports/${reportIndex}`;
  const source = bundled.report;
  const issues: ReportIssue[] = [];
  if (source.itemCount !== split.itemCount) {
    issues.push({
      code: 'item_count_corrected',
      pointer: `${at}/itemCount`,
      message: `bundle said ${source.itemCount} items; the report has ${split.itemCount} (files plus distinct URLs)`,
    });
  }
  if (!sameList(source.fileIds, split.fileIds)) {
    issues.push({
      code: 'file_ids_corrected',
      pointer: `${at}/fileIds`,
      message: 'fileIds did not list the report files in order; taken from the files',
    });
  }
  for (const note of source.driftNotes) {
    issues.push({ code: 'schema_drift', pointer: note.path, message: `${note.kind} kept as a drift note` });
  }
  const seen = new Set<string>();
  bundled.files.forEach((file, fileIndex) => {
    const fileAt = `${at}/files/${fileIndex}`;
    if (seen.has(file.fileId)) {
      issues.push({
        code: 'file_id_duplicate',
        pointer: `${fileAt}/fileId`,
        message: `file id ${file.fileId} appears more than once; this one is item ${file.fileId}#${fileIndex}`,
      });
    }
    seen.add(file.fileId);
    if (file.sha256 === null) {
      issues.push({
        code: 'file_bytes_missing',
        pointer: fileAt,
        message: `file ${file.fileId} was listed but its bytes never arrived`,
      });
    }
    issues.push(...partnerHashIssues(file, fileAt));
  });
  return issues;
}

/** One warning per partner hash that differs from the stored bytes (intake's receipt uses it too). */
export function partnerHashIssues(file: ReportFile, fileAt: string): ReportIssue[] {
  return file.partnerHashChecks
    .filter((check) => check.status === 'mismatch')
    .map((check) => {
      const hashIndex = file.partnerHashes.findIndex(
        (hash) => hash.hashType === check.hashType && hash.value === check.partnerValue,
      );
      return {
        code: 'partner_hash_mismatch',
        pointer: hashIndex >= 0 ? `${fileAt}/hashes/${hashIndex}` : fileAt,
        message: `${check.hashType} given for file ${file.fileId} differs from the stored bytes`,
      };
    });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
