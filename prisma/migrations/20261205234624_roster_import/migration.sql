-- AlterTable
ALTER TABLE "household" ADD COLUMN     "imported_from" TEXT,
ADD COLUMN     "legacy_id" TEXT,
ADD COLUMN     "roster_key" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'enrolment';

-- CreateIndex
CREATE INDEX "household_county_code_next_review_on_household_id_idx" ON "household"("county_code", "next_review_on", "household_id");

