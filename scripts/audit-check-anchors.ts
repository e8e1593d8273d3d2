// An auditor's check of a copy of the anchor file against the database (R-SUP-05):
//   DATABASE_URL=… AUDIT_VERIFY_KEYS_FILE=… npx tsx scripts/audit-check-anchors.ts <audit-anchors.jsonl>
// Exit 0: every line validly signed and identical in the database; exit 1: the problems, one a line.
import { createPrisma } from '../activities/db';
import { loadSettings } from '../activities/config';
import { checkAnchorFile } from '../activities/audit/anchor-file';
import { loadVerifyKeys } from '../activities/audit/keys';

async function main(): Promise<void> {
  const file = process.argv[2] ?? process.env.AUDIT_ANCHOR_FILE;
  if (!file) throw new Error('usage: npx tsx scripts/audit-check-anchors.ts <audit-anchors.jsonl>');
  const prisma = createPrisma(loadSettings().databaseUrl, 2);
  try {
    const r = await checkAnchorFile(prisma, file, loadVerifyKeys());
    for (const p of r.problems) console.log(`anchor ${p.anchorId}: ${p.reason}`);
    console.log(r.ok ? `ok: ${r.anchors} anchors, all signed and all in the database` : `${r.problems.length} problem(s) in ${r.anchors} anchors`);
    process.exitCode = r.ok ? 0 : 1;
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(2);
});
