// What cross-service tests (test/) drive in process: the erase command's work without a CLI
// process start, which takes seconds on a loaded machine.
export { type EraseDeps, type EraseOutcome, eraseReport } from '../commands/erase.ts';
