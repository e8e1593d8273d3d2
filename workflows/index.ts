// The single bundle entry: every workflow type the worker runs.
export { application } from './application/application';
export { auditAnchor } from './audit-anchor/audit-anchor';
export { review } from './review/review';
