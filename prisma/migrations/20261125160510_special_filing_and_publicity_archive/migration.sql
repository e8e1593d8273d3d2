-- CreateTable
CREATE TABLE "special_filing_register" (
    "id" BIGSERIAL NOT NULL,
    "county_code" TEXT NOT NULL,
    "village_code" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "household_id" TEXT NOT NULL,
    "programme" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "applicant_name" TEXT NOT NULL,
    "applicant_id_number" TEXT NOT NULL,
    "staff_ids" TEXT[],
    "relations" JSONB NOT NULL,
    "visitors" TEXT[],
    "monthly_fen" INTEGER NOT NULL,
    "enrolled_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "special_filing_register_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "publicity_archive" (
    "id" BIGSERIAL NOT NULL,
    "case_id" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "village_code" TEXT NOT NULL,
    "channels" TEXT[],
    "posted_from" TIMESTAMPTZ(3) NOT NULL,
    "posted_until" TIMESTAMPTZ(3) NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "publicity_archive_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "special_filing_register_village_code_enrolled_on_idx" ON "special_filing_register"("village_code" text_pattern_ops, "enrolled_on");

-- CreateIndex
CREATE UNIQUE INDEX "special_filing_register_case_id_reason_key" ON "special_filing_register"("case_id", "reason");

-- CreateIndex
CREATE UNIQUE INDEX "publicity_archive_case_id_round_key" ON "publicity_archive"("case_id", "round");


-- Hand-written: the national profile an existing database already holds gets the new parameters'
-- national defaults (R-APP-10 publicity channels, R-APP-13 appeal time limits), which the seed only
-- inserts into a fresh one; a value already set is kept.
UPDATE "policy_profile"
   SET "params" = '{"publicityChannels": ["noticeboard"], "appealReconsiderationDays": 60, "appealLitigationMonths": 6}'::jsonb || "params"::jsonb
 WHERE "jurisdiction" = '';
