export * from './expectations.js';
export * from './results.js';
export { resultsTable } from './table.js';
export { summaryOf, shadowDataLines, targetLine, type RunSummary } from './summary.js';
export { metricHeader, metricInterval, metricValue, sideBySide } from './table.js';
export { flagLines, flagMark, FLAG_MARK } from './flags.js';
export { reportHtml, DEFAULT_PLOTS } from './html.js';
export { readResults, ResultsReadError } from './read.js';
export {
  compareResults,
  compareTable,
  compareHtml,
  lineChanges,
  provenanceChanges,
  type MetricChange,
} from './compare.js';
export { auditOf, auditTable, claimedEpsilonOf, type AttackAudit, type AuditEstimate, type RunAudit } from './audit.js';
export {
  attackExposure,
  runRecords,
  TOP_SHOWN,
  type AttackExposure,
  type Exposure,
  type RunRecords,
  type ShownRecord,
} from './records.js';
export { exposedRecords, recordsCsv, recordsTable, type ExposedRecord } from './records-list.js';
