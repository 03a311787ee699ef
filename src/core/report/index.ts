/**
 * HTML reports: snapshots in, one self-contained HTML string out.
 *
 * parse → model (./model.ts) → HTML string (./render.ts), with one escaping helper
 * (./html.ts). Pure: no I/O, no DOM; the node adapter `src/node/report.ts` redacts,
 * renders and writes the file.
 */

export { renderReportHtml, REPORT_CSP } from './render';
export { buildReportModel, type ReportInput, type ReportModel, type SnapshotReport, type FleetReport, type ProxyTable } from './model';
export { escapeHtml, html, valueHtml, SafeHtml } from './html';
export { REPORT_CSS } from './styles';
