// `@triage/intake/testing`: intake in a child process and generated uploads, shared by the
// large-bundle test and `pnpm bench intake`, and the receipt store for `pnpm bench receipts`.

// The receipt store and its rows, measured against the in-memory maps by `pnpm bench receipts`.
export { ReceiptBook } from '../pipeline/receipt-book.ts';
export { applyStatus, type ReceiptTables, receiptTableNames } from '../pipeline/receipt-rows.ts';
// Issue 3's bad-input table and the raw-socket upload, for the hostile-input test through the live process.
export { type BadInputRow, type BadRequest, badInputRows } from './bad-input-rows.ts';
export {
  type GeneratedFile,
  generatedMultipartUpload,
  type MultipartUpload,
  seededBytes,
} from './generated-upload.ts';
export { type HostileAnswer, sendHostileUpload } from './hostile-upload.ts';
export { type IntakeProcess, startIntakeProcess } from './intake-process.ts';
