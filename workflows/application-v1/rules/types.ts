// Domain types shared by workflows, activities and the API. Pure data: no imports, no behaviour.
// Money is integer fen (分) everywhere; dates are 'YYYY-MM-DD' strings (China Standard Time).

export type Programme = 'DIBAO' | 'TEKUN';
export type Residence = 'urban' | 'rural';
export type Relation = 'self' | 'spouse' | 'child' | 'parent' | 'sibling' | 'grandparent' | 'grandchild' | 'other';
export type ExpenditureKind = 'illness' | 'disability' | 'schooling';
export type ReviewClass = 'annual' | 'semiannual' | 'quarterly';

export interface Member {
  name: string;
  idNumber: string;
  relation: Relation;
  birthDate: string;
  disabilityGrade?: 1 | 2 | 3 | 4;
  severeIllness?: boolean;
  ableToWork?: boolean;
  student?: boolean;
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
  // type only: the shared agency adapter reports R-APP-05's wider vocabulary now; this version only sums
  incomes: { source: 'wages' | 'pension' | 'business' | 'agriculture' | 'casual_work' | 'rent' | 'transfers' | 'other'; monthlyFen: number; payer?: string }[];
  depositsFen: number;
  realEstate: { kind: 'residential' | 'commercial' | 'rural_homestead'; areaM2: number; address?: string }[];
  vehicles: { kind: 'consumer' | 'production'; plate?: string; valueFen: number }[];
  businesses: { name: string; registeredCapitalFen: number }[];
  housingFundMonthlyFen: number;
  pensionContributionMonthlyFen: number;
  /** near relatives who are public employees (财政供养人员), R-APP-08 */
  publicEmployeeRelatives: { name: string; relation: string; employer: string }[];
}

export interface VerificationReport {
  checkId: string;
  completedAt: string;
  subjects: SubjectFindings[];
}
