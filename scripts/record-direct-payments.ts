// Issue 23 §5: the direct payment's branches for the replay test, recorded by scripts/record-histories.ts
// (RECORD_HISTORIES_ONLY=direct-payment-rejected,…) into test/histories/direct-payment/.
import path from 'node:path';
import type { Scenario } from './record-kit-scenarios';
import * as dm from '../workflows/direct-payment/messages';
import { actors } from '../test/helpers/people';
import { approve, funeralStart, hospital, medicalStart, startDirectPayment, tekunRecipient, undertaker, waitForPaymentStep } from '../test/helpers/direct-payment';

const OUT = process.env.RECORD_HISTORIES_DIRECT_PAYMENT_OUT || path.join(__dirname, '..', 'test', 'histories', 'direct-payment');


const save = (sc: Scenario, name: string, workflowId: string) => sc.save(name, workflowId, OUT, process.env.RECORD_HISTORIES_PREFIX ?? '');

export const DIRECT_PAYMENT_SCENARIOS = {
  // R-DIR-02, R-APP-11: medical costs within the residual, rejected by two county approvers
  'direct-payment-rejected': async (sc: Scenario) => {
    const r = await tekunRecipient(sc.prisma);
    const h = await startDirectPayment(sc.client, medicalStart(r.person.idNumber, r.householdId), sc.tq);
    await waitForPaymentStep(h, 'awaiting_payee');
    await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: hospital(), amountFen: 150_000, totalCostFen: 1_000_000, insurancePaidFen: 600_000, medicalAssistancePaidFen: 250_000 }] });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1, 'reject') });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3, 'reject') });
    await h.result();
    await save(sc, 'rejected', h.workflowId);
  },
  // R-DTH-04: a funeral payment not started by a death stop: closed at once
  'direct-payment-refused': async (sc: Scenario) => {
    const r = await tekunRecipient(sc.prisma);
    const h = await startDirectPayment(sc.client, { ...medicalStart(r.person.idNumber, r.householdId), kind: 'funeral' }, sc.tq);
    await h.result();
    await save(sc, 'refused-no-death', h.workflowId);
  },
  // R-DTH-04, R-DIR-01, R-PAY-09: the death stop's funeral payment: payee and amount, two approvals, paid once
  'direct-payment-funeral-paid': async (sc: Scenario) => {
    const r = await tekunRecipient(sc.prisma);
    const h = await startDirectPayment(sc.client, funeralStart(r.person.idNumber, r.householdId), sc.tq);
    await waitForPaymentStep(h, 'awaiting_payee');
    await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker(), amountFen: 280_000 }] });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
    await h.result();
    await save(sc, 'funeral-paid', h.workflowId);
  },
  // R-PAY-09: the bank rejects the undertaker's account at settlement; the county's caseworker corrects it and
  // the new line is paid (the first stays failed)
  'direct-payment-account-corrected': async (sc: Scenario) => {
    const r = await tekunRecipient(sc.prisma);
    const bad = '6217000010000000404';
    await sc.bank!.faults({ rejectAccounts: [bad] });
    const h = await startDirectPayment(sc.client, funeralStart(r.person.idNumber, r.householdId), sc.tq);
    await waitForPaymentStep(h, 'awaiting_payee');
    await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker(bad), amountFen: 250_000 }] });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
    await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
    await sc.sleep(2 * 3_600_000);
    await waitForPaymentStep(h, 'payee_correction');
    await h.executeUpdate(dm.correctPayeeUpdate, { args: [{ actor: actors.countyCaseworker, payee: undertaker('6217000010000000505'), reason: '银行退回：承办人更正账号' }] });
    await h.result();
    await save(sc, 'account-rejected-corrected-paid', h.workflowId);
  },
  // R-PAY-09 (patch R-PAY-09-escalate-stuck-payment): the bank down for MAX_RETRIES calls of a day each; the
  // payment is escalated to the county's caseworker (payment_escalated), who resumes it once the bank is back:
  // the same line and reference, paid once
  'direct-payment-escalated-resumed': async (sc: Scenario) => {
    const r = await tekunRecipient(sc.prisma);
    await sc.bank!.faults({ down: true });
    try {
      const h = await startDirectPayment(sc.client, funeralStart(r.person.idNumber, r.householdId), sc.tq);
      await waitForPaymentStep(h, 'awaiting_payee');
      await h.executeUpdate(dm.requestPaymentUpdate, { args: [{ actor: actors.caseworker, payee: undertaker('6217000010000000606'), amountFen: 260_000 }] });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver1) });
      await h.executeUpdate(dm.directPaymentApprovalUpdate, { args: approve(actors.approver3) });
      await sc.sleep(11 * 86_400_000); // 7 calls of a day and 1+2+4+8+16+24 h of backoff
      await waitForPaymentStep(h, 'payment_escalated', 120_000);
      await sc.bank!.faults({ down: false });
      await h.executeUpdate(dm.resumePaymentUpdate, { args: [{ actor: actors.countyCaseworker, reason: '已与银行核实，银行恢复，重新支付' }] });
      await h.result();
      await save(sc, 'escalated-resumed-paid', h.workflowId);
    } finally {
      await sc.bank!.faults({ down: false });
    }
  },
};
