// Fixtures for the accounting unit tests (accounting*.test.ts, tekun.test.ts).
import national from '../../prisma/seed/national-policy.json';
import type { AccountingInput } from '../../workflows/rules/accounting';
import type { PolicyParams } from '../../workflows/rules/policy';
import type { Member, SubjectFindings, VerificationReport } from '../../workflows/rules/types';
import { emptyFindings } from '../../activities/verification/protocol';

// National defaults (deduction tiers, threshold 0, depositLimitMonths 24, edgeIncomeMultiple 1.5, severe
// grades [1, 2], TEKUN ages 60/16, working age from 16) with a county's standards set here:
//   低保 rural 600 yuan = 60000 fen, urban 800 yuan = 80000 fen; 特困 basic rural 78000, urban 104000;
//   特困 care, rural: 全自理 8000, 半护理 25000, 全护理 50000; urban: 10000, 30000, 60000.
export const policy: PolicyParams = {
  ...(national.params as PolicyParams),
  dibaoStandardFen: { urban: 80000, rural: 60000 },
  tekunStandardFen: { urban: 104000, rural: 78000 },
  tekunCareStandardFen: {
    urban: { self_care: 10000, partial_care: 30000, full_care: 60000 },
    rural: { self_care: 8000, partial_care: 25000, full_care: 50000 },
  },
};

export function findings(idNumber: string, f: Partial<SubjectFindings> = {}): SubjectFindings {
  return { ...emptyFindings(idNumber, 'member'), registeredResidence: '山西省晋城市阳城县', ...f };
}

/** What the agency found about one member: verified monthly wages (the counted income, R-APP-05). */
export function earning(idNumber: string, monthlyFen: number, f: Partial<SubjectFindings> = {}): SubjectFindings {
  return findings(idNumber, { incomes: [{ source: 'wages', monthlyFen }], ...f });
}

export function report(subjects: SubjectFindings[]): VerificationReport {
  return { checkId: 'chk-1', completedAt: '2026-09-25T08:00:00Z', subjects };
}

export function member(idNumber: string, birthDate: string, m: Partial<Member> = {}): Member {
  return { name: idNumber, idNumber, relation: 'other', birthDate, ...m };
}

export function input(i: Partial<AccountingInput> & Pick<AccountingInput, 'members'>): AccountingInput {
  return {
    programme: 'DIBAO',
    residence: 'rural',
    incomes: [],
    expenditures: [],
    report: report([]),
    policy,
    on: '2026-06-01',
    ...i,
  };
}
