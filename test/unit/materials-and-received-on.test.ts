// R-APP-17 required materials (the pledge, each verified person's authorisation) and the R-APP-12 bound
// on a paper application's received date. Pure logic: no database, no Temporal.
import national from '../../prisma/seed/national-policy.json';
import { missingMaterials, requiredMaterialCodes } from '../../workflows/rules/materials';
import { checkReceivedOn } from '../../workflows/rules/received-on';
import type { PolicyParams } from '../../workflows/rules/policy';
import type { Household } from '../../workflows/rules/types';

const policy = national.params as PolicyParams;
const household: Household = {
  residence: 'rural',
  members: [
    { name: '王大山', idNumber: '140599196803040119', relation: 'self', birthDate: '1968-03-04' },
    { name: '王小河', idNumber: '140521201006150028', relation: 'child', birthDate: '2010-06-15' },
  ],
  obligors: [{ name: '王大海', idNumber: '140521198001010013', relation: 'sibling' }],
};

describe('requiredMaterialCodes', () => {
  it("R-APP-17: a DIBAO case needs the applicant's pledge and an authorisation from each member and each obligor", () => {
    expect(requiredMaterialCodes(policy, 'DIBAO', household)).toEqual([
      'application_form',
      'id_documents',
      'income_statement',
      'applicant_pledge',
      'verification_authorization:140599196803040119',
      'verification_authorization:140521201006150028',
      'verification_authorization:140521198001010013',
    ]);
  });

  it('R-APP-17: a missing authorisation of the obligor is named, once (一次告知, R-APP-01)', () => {
    const given = ['application_form', 'id_documents', 'incapacity_evidence', 'applicant_pledge', 'verification_authorization:140599196803040119', 'verification_authorization:140521201006150028'];
    expect(missingMaterials(policy, 'TEKUN', household, given)).toEqual(['verification_authorization:140521198001010013']);
  });
});

describe('checkReceivedOn', () => {
  // entered on 2026-11-25; 90 days before is 2026-08-27 (Nov 25 − 25 = Oct 31, − 31 = Sep 30, − 30 = Aug 31, − 4 = Aug 27)
  it.each([
    ['2026-11-25', 0],
    ['2026-08-27', 90],
  ])('R-APP-12: a paper application received on %s is entered %i days later', (receivedOn, days) => {
    expect(checkReceivedOn(receivedOn, '2026-11-25', policy.receivedOnMaxDays)).toEqual({ ok: true, daysBefore: days });
  });

  it.each([
    ['2026-08-26', '2026-08-26 is 91 days before the entry on 2026-11-25: at most 90'],
    ['1990-01-01', '1990-01-01 is 13477 days before the entry on 2026-11-25: at most 90'],
    ['2026-11-26', '2026-11-26 is after the entry on 2026-11-25'],
  ])('R-APP-12: refuses a received date of %s', (receivedOn, message) => {
    expect(checkReceivedOn(receivedOn, '2026-11-25', policy.receivedOnMaxDays)).toEqual({ ok: false, rule: 'R-APP-12', path: 'receivedOn', message });
  });
});
