-- AlterTable
ALTER TABLE "household" ADD COLUMN     "imported_from" TEXT,
ADD COLUMN     "legacy_id" TEXT,
ADD COLUMN     "roster_key" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'enrolment';

-- CreateIndex
CREATE INDEX "household_county_code_next_review_on_household_id_idx" ON "household"("county_code", "next_review_on", "household_id");


-- Households enrolled before this migration get their key: their covered members' ID numbers.
UPDATE "household" h SET "roster_key" = (
  SELECT string_agg(m."id_number", ',' ORDER BY m."id_number") FROM "household_member" m WHERE m."household_id" = h."household_id" AND m."covered"
);

-- Never on the active roster twice (issue 22 §2.1): the import's ON CONFLICT names this index. Written
-- here because Prisma's schema cannot express a partial index; later diffs (from schema.prisma files)
-- do not see it and so never drop it.
CREATE UNIQUE INDEX "household_active_roster_key" ON "household"("roster_key") WHERE "status" = 'active';
