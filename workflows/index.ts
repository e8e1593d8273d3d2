// The single bundle entry: every workflow type the worker runs.
export { application } from './application';
export { auditAnchor } from './audit-anchor';
export { changeReports } from './change-reports/change-reports';
