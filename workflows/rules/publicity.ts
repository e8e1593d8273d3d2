// R-APP-10, R-SUP-04: what a publicity may post. Names, the village and the amount may be published;
// ID numbers never, and never a minor or a person whose data must stay confidential (HIV/AIDS and others,
// flagged `confidential`). Pure: the publicity archive (activities/application/publicity-archive.ts) applies it.
import { ageOn } from './dates';
import type { Member, Programme } from './types';

/** 民法典 第十七条: a person under 18 is a minor (law, not a policy parameter). */
const ADULT_AGE = 18;

export interface PublicityNotice {
  programme: Programme;
  village: { code: string; name: string };
  /** the covered persons who may be named */
  names: string[];
  monthlyFen: number | null;
}

export function mayBePublished(m: Member, on: string): boolean {
  return !m.confidential && ageOn(m.birthDate, on) >= ADULT_AGE;
}

export function publicityNotice(o: { programme: Programme; village: { code: string; name: string }; members: Member[]; covered: string[]; monthlyFen?: number; on: string }): PublicityNotice {
  const covered = o.covered.length ? o.members.filter((m) => o.covered.includes(m.idNumber)) : o.members;
  return { programme: o.programme, village: o.village, names: covered.filter((m) => mayBePublished(m, o.on)).map((m) => m.name), monthlyFen: o.monthlyFen ?? null };
}
