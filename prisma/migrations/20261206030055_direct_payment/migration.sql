-- CreateTable
CREATE TABLE "direct_payment" (
    "payment_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "person_id_number" TEXT NOT NULL,
    "funeral_person" TEXT,
    "household_id" TEXT,
    "village_code" TEXT NOT NULL,
    "county_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "assignee" TEXT,
    "due_on" DATE,
    "amount_fen" INTEGER,
    "reference" TEXT,
    "bank_ref" TEXT,
    "view" JSONB NOT NULL,
    "revision" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "direct_payment_pkey" PRIMARY KEY ("payment_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "direct_payment_workflow_id_key" ON "direct_payment"("workflow_id");

-- CreateIndex
CREATE UNIQUE INDEX "direct_payment_funeral_person_key" ON "direct_payment"("funeral_person");

-- CreateIndex
CREATE INDEX "direct_payment_village_code_step_idx" ON "direct_payment"("village_code" text_pattern_ops, "step");

-- CreateIndex
CREATE INDEX "direct_payment_person_id_number_idx" ON "direct_payment"("person_id_number");

