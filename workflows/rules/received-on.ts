// R-APP-12: a paper application's received date (receivedOn) may lie before its entry in the system by at
// most receivedOnMaxDays calendar days (policy), never after it. Within the bound the case is entered as
// it stands (overdue if it is); the entry is audited with who made it.
import { daysBetween } from './dates';

export type ReceivedOnCheck = { ok: true; daysBefore: number } | { ok: false; rule: 'R-APP-12'; path: 'receivedOn'; message: string };

export function checkReceivedOn(receivedOn: string, enteredOn: string, maxDays: number): ReceivedOnCheck {
  const daysBefore = daysBetween(receivedOn, enteredOn);
  if (daysBefore < 0) return { ok: false, rule: 'R-APP-12', path: 'receivedOn', message: `${receivedOn} is after the entry on ${enteredOn}` };
  if (daysBefore > maxDays) {
    return { ok: false, rule: 'R-APP-12', path: 'receivedOn', message: `${receivedOn} is ${daysBefore} days before the entry on ${enteredOn}: at most ${maxDays}` };
  }
  return { ok: true, daysBefore };
}
