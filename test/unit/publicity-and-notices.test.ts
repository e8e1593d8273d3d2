// R-SUP-04 what a publicity may name, R-APP-10 its channels, R-APP-13 what a rejection notice states (pure rules).
import { mayBePublished, publicityNotice } from '../../workflows/rules/publicity';
import { publicityChannelErrors, rejectionNoticeErrors } from '../../workflows/rules/notices';
import type { Member } from '../../workflows/rules/types';

const person = (name: string, birthDate: string, extra: Partial<Member> = {}): Member => ({ name, idNumber: `1405991${birthDate.replace(/-/g, '')}0011`, relation: 'self', birthDate, ...extra });

describe('R-SUP-04: who a publicity names', () => {
  it('R-SUP-04: a person is named from their 18th birthday on, never before, and never when flagged confidential', () => {
    expect(mayBePublished(person('甲', '2008-11-25'), '2026-11-24')).toBe(false);
    expect(mayBePublished(person('甲', '2008-11-25'), '2026-11-25')).toBe(true);
    expect(mayBePublished(person('乙', '1960-01-01', { confidential: true }), '2026-11-25')).toBe(false);
  });

  it('R-SUP-04: the notice names the covered adults only, with the village and the amount, and holds no ID number', () => {
    const [a, b, c] = [person('王建国', '1968-03-04'), person('李秀英', '1970-08-17'), person('王小明', '2012-09-01', { relation: 'child' })];
    const notice = publicityNotice({ programme: 'DIBAO', village: { code: '140599100201', name: '演示村' }, members: [a, b, c], covered: [a.idNumber, c.idNumber], monthlyFen: 60_000, on: '2026-11-25' });
    expect(notice).toEqual({ programme: 'DIBAO', village: { code: '140599100201', name: '演示村' }, names: ['王建国'], monthlyFen: 60_000 });
    expect(JSON.stringify(notice)).not.toMatch(/\d{17}/);
  });
});

describe('R-APP-10, R-APP-13: what the commands must state', () => {
  it('R-APP-10: channels are omitted (the policy decides) or a non-empty list of noticeboard, screen, website, each once', () => {
    expect(publicityChannelErrors(undefined)).toEqual([]);
    expect(publicityChannelErrors(['noticeboard', 'website'])).toEqual([]);
    expect(publicityChannelErrors([])).toEqual([{ path: 'publicityChannels', message: 'a non-empty list' }]);
    expect(publicityChannelErrors(['screen', 'radio', 'screen']).map((e) => e.path)).toEqual(['publicityChannels[1]', 'publicityChannels[2]']);
  });

  it('R-APP-13: a notice states at least one non-blank reason (at most 20, 500 characters each) and 行政复议 and/or 行政诉讼 with a named body or court', () => {
    const appeal = { litigation: { court: '沁水县人民法院' } };
    expect(rejectionNoticeErrors({ reasons: ['收入高于标准'], appeal })).toEqual([]);
    expect(rejectionNoticeErrors({ appeal }).map((e) => e.path)).toEqual(['reasons']);
    expect(rejectionNoticeErrors({ reasons: [' ', 'x'.repeat(501)], appeal }).map((e) => e.path)).toEqual(['reasons[0]', 'reasons[1]']);
    expect(rejectionNoticeErrors({ reasons: Array(21).fill('理由'), appeal }).map((e) => e.path)).toEqual(['reasons']);
    expect(rejectionNoticeErrors({ reasons: ['理由'] }).map((e) => e.path)).toEqual(['appeal']);
    expect(rejectionNoticeErrors({ reasons: ['理由'], appeal: {} }).map((e) => e.path)).toEqual(['appeal']);
    expect(rejectionNoticeErrors({ reasons: ['理由'], appeal: { reconsideration: { body: '' } } }).map((e) => e.path)).toEqual(['appeal.reconsideration.body']);
  });
});
