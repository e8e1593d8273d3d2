// Investigations as long as a real case may make them, or longer (issue 16 API4): long findings and
// many described assets, up to a given size in UTF-8 bytes of the JSON body.
import type { InvestigationInput } from '../../workflows/application/messages';
import { LIMITS, utf8Bytes } from '../../workflows/application/payloads';

const FINDINGS = '入户调查：家中有重病患者，无稳定收入，邻里走访情况属实。';
const ASSET = '农用三轮车一辆，购于多年前，已破旧，仅供自家农忙时运输使用，无出租、经营性收入。';

/** `base` with findings at their limit and described (valueless) assets added until the body reaches about `bytes`. */
export function bulky<T extends Omit<InvestigationInput, 'actor'>>(base: T, bytes: number): T {
  const findings = FINDINGS.repeat(Math.ceil(LIMITS.findings / FINDINGS.length)).slice(0, LIMITS.findings);
  const out = { ...base, findings, assets: [] as InvestigationInput['assets'] };
  const description = ASSET.repeat(Math.ceil(LIMITS.note / ASSET.length)).slice(0, LIMITS.note);
  for (let i = 0; i < LIMITS.assets; i++) {
    const next = { kind: `household_item_${i}`, description };
    if (utf8Bytes(JSON.stringify({ ...out, assets: [...out.assets, next] })) > bytes) break;
    out.assets.push(next);
  }
  return out;
}

/** The body's size as the limit counts it (UTF-8 bytes of its JSON, without the actor). */
export function bodyBytes(body: object): number {
  const { actor: _actor, ...rest } = body as { actor?: unknown };
  return utf8Bytes(JSON.stringify(rest));
}
