-- AlterTable
ALTER TABLE "idempotency_key" ADD COLUMN     "case_id" TEXT,
ADD COLUMN     "finished_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limit_expire_idx" ON "rate_limit"("expire");

-- CreateIndex
CREATE INDEX "idempotency_key_finished_at_idx" ON "idempotency_key"("finished_at");

