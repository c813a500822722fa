// `@triage/intake/testing`: intake in a child process and generated uploads, shared by the
// large-bundle test and `pnpm bench intake`.
export {
  type GeneratedFile,
  generatedMultipartUpload,
  type MultipartUpload,
  seededBytes,
} from './generated-upload.ts';
export { type IntakeProcess, startIntakeProcess } from './intake-process.ts';
