export { type ParsedFileDetailsDocument, parseFileDetailsDocument } from './file-details-document.ts';
export { type ParsedReportDocument, parseReportDocument } from './report-document.ts';
export { xmlRootElement } from './root-element.ts';
