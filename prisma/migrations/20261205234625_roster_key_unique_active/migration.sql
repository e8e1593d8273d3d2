-- Hand-written (Prisma's schema cannot express a partial unique index): issue 22 §2.1.
-- Households enrolled before this migration get their key: their covered members' ID numbers.
UPDATE "household" h SET "roster_key" = (
  SELECT string_agg(m."id_number", ',' ORDER BY m."id_number") FROM "household_member" m WHERE m."household_id" = h."household_id" AND m."covered"
);

-- Never on the active roster twice (issue 22 §2.1): the import's ON CONFLICT names this index. Written
-- here because Prisma's schema cannot express a partial index; later diffs (from schema.prisma files)
-- do not see it and so never drop it.
CREATE UNIQUE INDEX "household_active_roster_key" ON "household"("roster_key") WHERE "status" = 'active';
