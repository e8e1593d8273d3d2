// The single bundle entry: every workflow type the worker runs.
export { application } from './application/application';
export { auditAnchor } from './audit-anchor/audit-anchor';
export { reviewCycle } from './review/cycle';
export { changeReports } from './change-reports/change-reports';
export { changeReportsOpening } from './change-reports/opening';
export { review } from './review/review';
export { directPayment } from './direct-payment/direct-payment';
export { deathStop } from './death-stop/death-stop';
