// 居民身份证号码 (GB 11643-1999) validation and masking. Pure logic: no database, no Temporal. The checks
// prove the standard, not an application rule: they are titled by it (GB 11643), masking by R-SUP-04.
// Check digits below are computed by hand: Σ(digit × weight) with weights
// 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2, then sum mod 11 indexes '10X98765432'.
import { checkDigit, checkIdNumber, maskIdNumber } from '../../workflows/rules/id-number';

describe('checkIdNumber: valid numbers', () => {
  it('GB 11643: accepts 140521198001010013 (check digit 3) and reads its birth date', () => {
    // digits   1  4  0  5  2  1  1  9  8  0  0  1  0  1  0  0  1
    // weights  7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
    // products 7 36  0 25 16  4  2  9 48  0  0  9  0  5  0  0  2
    // sum = 7+36+25+16+4+2+9+48+9+5+2 = 163; 163 mod 11 = 163 - 154 = 9; '10X98765432'[9] = '3'
    expect(checkDigit('14052119800101001')).toBe('3');
    expect(checkIdNumber('140521198001010013')).toEqual({ ok: true, birthDate: '1980-01-01' });
  });

  it('GB 11643: accepts 140521201006150028 (check digit 8), a child born 2010-06-15', () => {
    // digits   1  4  0  5  2  1  2  0  1  0  0  6  1  5  0  0  2
    // products 7 36  0 25 16  4  4  0  6  0  0 54 10 25  0  0  4
    // sum = 7+36+25+16+4+4+6+54+10+25+4 = 191; 191 mod 11 = 191 - 187 = 4; '10X98765432'[4] = '8'
    expect(checkDigit('14052120100615002')).toBe('8');
    expect(checkIdNumber('140521201006150028')).toEqual({ ok: true, birthDate: '2010-06-15' });
  });

  it('GB 11643: accepts 11010519491231002X, whose check character is X', () => {
    // digits   1  1  0  1  0  5  1  9  4  9  1  2  3  1  0  0  2
    // products 7  9  0  5  0 20  2  9 24 27  7 18 30  5  0  0  4
    // sum = 7+9+5+20+2+9+24+27+7+18+30+5+4 = 167; 167 mod 11 = 167 - 165 = 2; '10X98765432'[2] = 'X'
    expect(checkDigit('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X')).toEqual({ ok: true, birthDate: '1949-12-31' });
  });

  it('GB 11643: accepts a leap-day birth date 2000-02-29 (140521200002290010)', () => {
    // digits   1  4  0  5  2  1  2  0  0  0  0  2  2  9  0  0  1
    // products 7 36  0 25 16  4  4  0  0  0  0 18 20 45  0  0  2
    // sum = 7+36+25+16+4+4+18+20+45+2 = 177; 177 mod 11 = 177 - 176 = 1; '10X98765432'[1] = '0'
    expect(checkIdNumber('140521200002290010')).toEqual({ ok: true, birthDate: '2000-02-29' });
  });
});

describe('checkIdNumber: invalid numbers', () => {
  it('GB 11643: refuses a wrong check digit (…0014 where the check digit is 3)', () => {
    // same first 17 digits as 140521198001010013: the check digit must be 3, not 4
    const r = checkIdNumber('140521198001010014');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toBe('check digit is 4, expected 3');
  });

  it('GB 11643: refuses X where a digit is due, and a digit where X is due', () => {
    // 140521198001010013 needs '3' (see above); 11010519491231002X needs 'X'
    expect(checkIdNumber('14052119800101001X').ok).toBe(false);
    expect(checkIdNumber('110105194912310020').ok).toBe(false);
  });

  it('GB 11643: refuses an impossible birth date 1999-02-30 even with a correct check digit', () => {
    // digits   1  4  0  5  2  1  1  9  9  9  0  2  3  0  0  0  1
    // products 7 36  0 25 16  4  2  9 54 27  0 18 30  0  0  0  2
    // sum = 7+36+25+16+4+2+9+54+27+18+30+2 = 230; 230 mod 11 = 230 - 220 = 10; '10X98765432'[10] = '2'
    expect(checkDigit('14052119990230001')).toBe('2');
    const r = checkIdNumber('140521199902300012');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toContain('1999-02-30');
  });

  it('GB 11643: refuses 1900-02-29 (1900 is not a leap year) and month 13', () => {
    expect(checkIdNumber('140521190002290011').ok).toBe(false);
    expect(checkIdNumber('140521198013010011').ok).toBe(false);
  });

  it('GB 11643: refuses a birth year before 1900 (140521189912310012, correct check digit 2)', () => {
    // digits   1  4  0  5  2  1  1  8  9  9  1  2  3  1  0  0  1
    // products 7 36  0 25 16  4  2  8 54 27  7 18 30  5  0  0  2
    // sum = 7+36+25+16+4+2+8+54+27+7+18+30+5+2 = 241; 241 mod 11 = 241 - 231 = 10; '10X98765432'[10] = '2'
    expect(checkDigit('14052118991231001')).toBe('2');
    const r = checkIdNumber('140521189912310012');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toContain('1899-12-31');
  });

  it.each([
    ['17 characters', '14052119800101001'],
    ['19 characters', '1405211980010100130'],
    ['old 15-digit format', '140521800101001'],
    ['empty', ''],
    ['letter inside', '1405211980A1010013'],
    ['X not in last place', '14052119800101X013'],
    ['spaces', '140521 19800101 0013'],
  ])('GB 11643: refuses wrong length or characters (%s)', (_label, id) => {
    const r = checkIdNumber(id);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toBe('must be 18 characters: 17 digits and a digit or X');
  });
});

describe('maskIdNumber', () => {
  it('R-SUP-04: keeps the 6-digit region and the last 2 characters, masks the 10 in between', () => {
    // 18 characters: 6 kept + (18 - 8) = 10 stars + 2 kept
    expect(maskIdNumber('140521198001010013')).toBe('140521**********13');
    expect(maskIdNumber('11010519491231002X')).toBe('110105**********2X');
  });

  it('R-SUP-04: never reveals the birth date (characters 7-14)', () => {
    expect(maskIdNumber('140521198001010013')).not.toContain('19800101');
  });

  it('R-SUP-04: masks short inputs entirely', () => {
    // fewer than 9 characters: every character becomes '*'; 9 characters: 6 + 1 star + 2
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber('123456789')).toBe('123456*89');
  });
});
