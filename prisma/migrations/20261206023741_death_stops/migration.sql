-- CreateTable
CREATE TABLE "death_stop" (
    "death_stop_id" TEXT NOT NULL,
    "id_number" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "household_id" TEXT NOT NULL,
    "village_code" TEXT NOT NULL,
    "county_code" TEXT NOT NULL,
    "date_of_death" DATE NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "step" TEXT NOT NULL DEFAULT 'opening',
    "assignee" TEXT,
    "due_on" DATE,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "recovery_fen" INTEGER,
    "view" JSONB,
    "revision" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "death_stop_pkey" PRIMARY KEY ("death_stop_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "death_stop_id_number_key" ON "death_stop"("id_number");

-- CreateIndex
CREATE UNIQUE INDEX "death_stop_workflow_id_key" ON "death_stop"("workflow_id");

-- CreateIndex
CREATE INDEX "death_stop_village_code_step_idx" ON "death_stop"("village_code" text_pattern_ops, "step");

-- CreateIndex
CREATE INDEX "death_stop_county_code_due_on_idx" ON "death_stop"("county_code", "due_on");

