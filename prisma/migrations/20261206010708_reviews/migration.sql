-- CreateTable
CREATE TABLE "review" (
    "review_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "household_id" TEXT NOT NULL,
    "period" TEXT,
    "reason" TEXT NOT NULL,
    "village_code" TEXT NOT NULL,
    "county_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "assignee" TEXT,
    "due_on" DATE,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "monthly_fen" INTEGER,
    "view" JSONB NOT NULL,
    "revision" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_pkey" PRIMARY KEY ("review_id")
);

-- CreateTable
CREATE TABLE "roster_change" (
    "id" BIGSERIAL NOT NULL,
    "review_id" TEXT NOT NULL,
    "household_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "monthly_fen_before" INTEGER NOT NULL,
    "monthly_fen_after" INTEGER NOT NULL,
    "from_month" TEXT NOT NULL,
    "decided_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roster_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "review_workflow_id_key" ON "review"("workflow_id");

-- CreateIndex
CREATE INDEX "review_village_code_step_idx" ON "review"("village_code" text_pattern_ops, "step");

-- CreateIndex
CREATE INDEX "review_county_code_due_on_idx" ON "review"("county_code", "due_on");

-- CreateIndex
CREATE UNIQUE INDEX "roster_change_review_id_key" ON "roster_change"("review_id");

-- CreateIndex
CREATE INDEX "roster_change_household_id_idx" ON "roster_change"("household_id");

