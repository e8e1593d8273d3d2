// The single bundle entry: every workflow type the worker runs.
export { application } from './application/application';
export { auditAnchor } from './audit-anchor/audit-anchor';
export { reviewCycle } from './review/cycle';
export { changeReports } from './change-reports/change-reports';
export { review } from './review/review';
export { deathStop } from './death-stop/death-stop';
