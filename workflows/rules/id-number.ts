// 居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, 1 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberCheck = { ok: true; birthDate: string } | { ok: false; reason: string };

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function checkIdNumber(id: string): IdNumberCheck {
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: 'must be 18 characters: 17 digits and a digit or X' };
  const y = id.slice(6, 10);
  const m = id.slice(10, 12);
  const d = id.slice(12, 14);
  const birthDate = `${y}-${m}-${d}`;
  const parsed = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birthDate || Number(y) < 1900) {
    return { ok: false, reason: `contains an impossible birth date ${birthDate}` };
  }
  const expected = checkDigit(id.slice(0, 17));
  if (id[17] !== expected) return { ok: false, reason: `check digit is ${id[17]}, expected ${expected}` };
  return { ok: true, birthDate };
}

/** For logs and list responses: 140521**********12 */
export function maskIdNumber(id: string): string {
  return id.length < 9 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 8)}${id.slice(-2)}`;
}
