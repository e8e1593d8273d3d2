// The official holiday schedule as data (PLATFORM.md: the bundled package stops at the last year it knows).
//   npm run calendar -- load <file.json>   a year's State Council schedule, replacing the bundled data for it
//   npm run calendar -- show <year>         the holidays and make-up working days in force for a year
// file.json: { "year": 2027, "source": "国办发明电〔2026〕X号", "days": [{ "date": "2027-01-01", "kind": "holiday", "name": "元旦" }, …] }
// Running cases keep the due dates they computed; only deadlines computed afterwards use the new data.
import fs from 'node:fs';
import { z } from 'zod';
import { bundledSchedule, withOverrides } from '../activities/calendar';
import { runCli, UsageError } from './cli';
import { isDate } from '../workflows/rules/dates';

const fileSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  source: z.string().min(1),
  days: z.array(z.object({ date: z.string().refine(isDate, 'YYYY-MM-DD'), kind: z.enum(['holiday', 'workday']), name: z.string().optional() })),
});

runCli(async (prisma, argv) => {
  const [command, arg] = argv;
  if (command === 'load' && arg) {
    const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(arg, 'utf8')));
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    const { year, source, days } = parsed.data;
    const stray = days.filter((d) => !d.date.startsWith(`${year}-`));
    if (stray.length) throw new Error(`dates outside ${year}: ${stray.map((d) => d.date).join(', ')}`);
    await prisma.$transaction([
      prisma.calendarDay.deleteMany({ where: { date: { gte: new Date(`${year}-01-01T00:00:00Z`), lte: new Date(`${year}-12-31T00:00:00Z`) } } }),
      prisma.calendarDay.createMany({ data: days.map((d) => ({ date: new Date(`${d.date}T00:00:00Z`), kind: d.kind, name: d.name ?? null })) }),
      prisma.calendarYear.upsert({ where: { year }, create: { year, source }, update: { source, loadedAt: new Date() } }),
    ]);
    console.log(`loaded ${year}: ${days.filter((d) => d.kind === 'holiday').length} holidays, ${days.filter((d) => d.kind === 'workday').length} make-up working days (${source})`);
  } else if (command === 'show' && arg) {
    const year = Number(arg);
    const [years, rows] = await Promise.all([prisma.calendarYear.findMany(), prisma.calendarDay.findMany()]);
    const s = withOverrides(bundledSchedule(), years.map((y) => y.year), rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), kind: r.kind as 'holiday' | 'workday', name: r.name })));
    if (!s.knownYears.has(year)) console.log(`${year} is not known: deadlines in it count Monday to Friday except 元旦 (1 Jan), 劳动节 (1 May) and 国庆 (1–3 Oct), and are flagged beyondCalendar`);
    for (const [label, m] of [['holiday', s.holidays], ['make-up working day', s.workdays]] as const) {
      for (const [d, name] of [...m].filter(([d]) => d.startsWith(`${year}-`)).sort()) console.log(`${d}  ${label}  ${name}`);
    }
  } else {
    throw new UsageError('usage: npm run calendar -- load <file.json> | show <year>');
  }
});
