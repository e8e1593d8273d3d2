-- CreateTable
CREATE TABLE "payment" (
    "reference" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "business_id" TEXT NOT NULL,
    "subject" TEXT,
    "jurisdiction" TEXT NOT NULL,
    "payee_type" TEXT NOT NULL,
    "payee_name" TEXT NOT NULL,
    "payee_bank" TEXT NOT NULL,
    "account_no" TEXT NOT NULL,
    "account_masked" TEXT NOT NULL,
    "amount_fen" INTEGER NOT NULL,
    "memo" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "bank_ref" TEXT,
    "settled_on" DATE,
    "failure_code" TEXT,
    "failure_reason" TEXT,
    "prepared_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("reference")
);

-- CreateIndex
CREATE INDEX "payment_business_id_idx" ON "payment"("business_id");

-- CreateIndex
CREATE INDEX "payment_status_settled_on_idx" ON "payment"("status", "settled_on");

-- CreateIndex
CREATE INDEX "payment_jurisdiction_idx" ON "payment"("jurisdiction" text_pattern_ops);

