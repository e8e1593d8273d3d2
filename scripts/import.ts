// Imports a legacy roster (issue 22 §2.1):
//   npm run import -- <file.json|file.csv|file.xlsx> --county <6-digit code> [--by <name>] [--chunk 1000] [--report rejected.json]
// Every row is checked (README "Roster"); good rows are written in chunks, each one transaction, and the
// same file again imports nothing new. A progress bar on stderr, a summary on stdout. Bad rows do not fail
// the command: it exits non-zero only on a usage error (2) or when it could not finish (1: rerun it).
import fs from 'node:fs';
import { runCli, UsageError } from './cli';
import { FileError } from './import/files';
import { importFile, progressLine } from './import/run';

const USAGE = 'usage: npm run import -- <file.json|file.csv|file.xlsx> --county <6-digit county code> [--by <name>] [--chunk <rows>] [--report <rejected.json>]';
const SHOWN = 20;

runCli(async (prisma, argv) => {
  const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const file = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--')));
  const county = flag('--county');
  const chunk = flag('--chunk');
  if (!file || !fs.existsSync(file) || !county || !/^\d{6}$/.test(county) || (chunk !== undefined && !/^[1-9]\d{0,4}$/.test(chunk))) throw new UsageError(USAGE);
  const division = await prisma.division.findUnique({ where: { code: county } });
  if (division?.level !== 'county') throw new UsageError(`${county} is not a registered county\n${USAGE}`);

  const tty = process.stderr.isTTY;
  let lastShare = -1;
  const started = Date.now();
  let result;
  try {
    result = await importFile(prisma, file, {
      county,
      by: flag('--by') ?? process.env.USER ?? 'operator',
      chunkSize: chunk ? Number(chunk) : undefined,
      onProgress: (p) => {
        // a redrawn bar on a terminal; a line per tenth in a log
        const share = Math.floor((p.done / Math.max(1, p.received)) * 10);
        if (tty) process.stderr.write(`\r${progressLine(p)}`);
        else if (share !== lastShare) process.stderr.write(`${progressLine(p)}\n`);
        lastShare = share;
      },
    });
  } catch (err) {
    if (err instanceof FileError) throw new UsageError(err.message);
    throw err;
  }
  if (tty) process.stderr.write('\n');
  const seconds = (Date.now() - started) / 1000;
  console.log(`${file}: ${result.received} households read in ${seconds.toFixed(1)} s`);
  console.log(`  imported         ${result.imported}`);
  console.log(`  already present  ${result.alreadyPresent}`);
  console.log(`  rejected         ${result.rejected.length}`);
  for (const r of result.rejected.slice(0, SHOWN)) {
    const label = result.labels[r.index] ? ` (${result.labels[r.index]})` : '';
    console.log(`  row ${r.index}${label}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  if (result.rejected.length > SHOWN) console.log(`  … and ${result.rejected.length - SHOWN} more${flag('--report') ? '' : ' (--report <file> writes them all)'}`);
  const report = flag('--report');
  if (report) {
    fs.writeFileSync(report, JSON.stringify(result.rejected.map((r) => ({ ...r, label: result.labels[r.index] })), null, 2));
    console.log(`  every rejected row: ${report}`);
  }
});
