// Domain types shared by workflows, activities and the API. Pure data: no imports, no behaviour.
// Money is integer fen (分) everywhere; dates are 'YYYY-MM-DD' strings (China Standard Time).

export type Programme = 'DIBAO' | 'TEKUN';
export type Residence = 'urban' | 'rural';
export type Relation = 'self' | 'spouse' | 'child' | 'parent' | 'sibling' | 'grandparent' | 'grandchild' | 'other';
export type ExpenditureKind = 'illness' | 'disability' | 'schooling';
export type ReviewClass = 'annual' | 'semiannual' | 'quarterly';
/** TEKUN self-care ability (全自理 / 半护理 / 全护理): selects the care standard (national practice). */
export type CareGrade = 'self_care' | 'partial_care' | 'full_care';
export const CARE_GRADES: readonly CareGrade[] = ['self_care', 'partial_care', 'full_care'];
/** TEKUN support: at home (分散供养) or in an institution (集中供养), whose account receives the money (R-PAY-03). */
export type SupportMode = 'dispersed' | 'centralised';
/** R-APP-10: where a publicity is posted: 公开栏 (noticeboard), 电子屏 (screen), the website. */
export const PUBLICITY_CHANNELS = ['noticeboard', 'screen', 'website'] as const;
export type PublicityChannel = (typeof PUBLICITY_CHANNELS)[number];
/**
 * R-APP-05: where an income comes from, one closed vocabulary for the household's declaration, the
 * investigation and the verification report, so that "the same source" of two of them means something.
 * 零工 is casual_work; transfers are help from relatives and other private transfers.
 */
export const INCOME_SOURCES = ['wages', 'pension', 'business', 'agriculture', 'casual_work', 'rent', 'transfers', 'other'] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];

/** R-APP-13: 行政复议 to the named body and/or 行政诉讼 at the named court (the time limits come from the policy). */
export interface AppealRoute {
  reconsideration?: { body: string };
  litigation?: { court: string };
}

export interface Member {
  name: string;
  idNumber: string;
  relation: Relation;
  birthDate: string;
  disabilityGrade?: 1 | 2 | 3 | 4;
  severeIllness?: boolean;
  ableToWork?: boolean;
  student?: boolean;
  /** R-SUP-04: never published (people with HIV/AIDS and others whose data must stay confidential); the reason is not recorded */
  confidential?: boolean;
}

/** A person legally obliged to support the household (赡养/抚养/扶养义务人), verified too (R-APP-03). */
export interface Obligor {
  name: string;
  idNumber: string;
  relation: string;
}

export interface Household {
  residence: Residence;
  members: Member[];
  obligors?: Obligor[];
}

/** R-APP-02: the applicant's declaration of near relatives among staff and village cadres. */
export interface NearRelativeDeclaration {
  hasStaffRelatives: boolean;
  relations?: { memberIdNumber: string; staffId: string; relation: string }[];
}

export interface Actor {
  id: string;
  name: string;
  role: string;
  jurisdiction: string;
}

// ── Economic-status verification (家庭经济状况核对, R-APP-03) ──────────────────

export type SubjectRole = 'member' | 'obligor';

export interface VerificationSubject {
  idNumber: string;
  name: string;
  role: SubjectRole;
}

/** What the verification agency found about one person. */
export interface SubjectFindings {
  idNumber: string;
  role: SubjectRole;
  registeredResidence: string | null;
  incomes: { source: IncomeSource; monthlyFen: number; payer?: string }[];
  depositsFen: number;
  realEstate: { kind: 'residential' | 'commercial' | 'rural_homestead'; areaM2: number; address?: string }[];
  vehicles: { kind: 'consumer' | 'production'; plate?: string; valueFen: number }[];
  businesses: { name: string; registeredCapitalFen: number }[];
  housingFundMonthlyFen: number;
  pensionContributionMonthlyFen: number;
  /** near relatives who are public employees (财政供养人员), R-APP-08 */
  publicEmployeeRelatives: { name: string; relation: string; employer: string }[];
}

/**
 * What the enrolment record carries for each covered TEKUN person: the care grade and the two parts of
 * the amount (basic living + care, R-APP-05), and the support mode; a centralised person names the
 * institution that receives the money (seed 001 三(一)2).
 */
export interface TekunEnrolment {
  idNumber: string;
  careGrade: CareGrade;
  basicFen: number;
  careFen: number;
  monthlyFen: number;
  support: { mode: 'dispersed' } | { mode: 'centralised'; institution: { name: string; code: string } };
}

export interface VerificationReport {
  checkId: string;
  completedAt: string;
  subjects: SubjectFindings[];
}
