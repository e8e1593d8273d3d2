-- CreateIndex
CREATE INDEX "review_household_id_status_idx" ON "review"("household_id", "status");

