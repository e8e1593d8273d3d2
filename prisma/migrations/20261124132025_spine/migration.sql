-- CreateTable
CREATE TABLE "division" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "parent_code" TEXT,

    CONSTRAINT "division_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "policy_profile" (
    "id" BIGSERIAL NOT NULL,
    "jurisdiction" TEXT NOT NULL,
    "effective_from" DATE NOT NULL,
    "params" JSONB NOT NULL,
    "note" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_day" (
    "date" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,

    CONSTRAINT "calendar_day_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "calendar_year" (
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_year_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "staff_member" (
    "staff_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "jurisdiction" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "staff_member_pkey" PRIMARY KEY ("staff_id")
);

-- CreateTable
CREATE TABLE "staff_relative" (
    "id" BIGSERIAL NOT NULL,
    "staff_id" TEXT NOT NULL,
    "relative_id_number" TEXT NOT NULL,
    "relative_name" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "registered_on" DATE NOT NULL,

    CONSTRAINT "staff_relative_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case" (
    "case_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "programme" TEXT NOT NULL,
    "village_code" TEXT NOT NULL,
    "township_code" TEXT NOT NULL,
    "county_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "assignee" TEXT,
    "received_on" DATE NOT NULL,
    "accepted_on" DATE,
    "decision_due_on" DATE,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "monthly_fen" INTEGER,
    "household_id" TEXT,
    "view" JSONB NOT NULL,
    "revision" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_pkey" PRIMARY KEY ("case_id")
);

-- CreateTable
CREATE TABLE "case_member" (
    "case_id" TEXT NOT NULL,
    "id_number" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "case_member_pkey" PRIMARY KEY ("case_id","id_number")
);

-- CreateTable
CREATE TABLE "open_application" (
    "id_number" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,

    CONSTRAINT "open_application_pkey" PRIMARY KEY ("id_number")
);

-- CreateTable
CREATE TABLE "deadline" (
    "id" BIGSERIAL NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "case_id" TEXT,
    "jurisdiction" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "assignee" TEXT,
    "started_on" DATE NOT NULL,
    "due_on" DATE NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "beyond_calendar" BOOLEAN NOT NULL DEFAULT false,
    "extended" BOOLEAN NOT NULL DEFAULT false,
    "warned_at" TIMESTAMPTZ(3),
    "overdue_since" TIMESTAMPTZ(3),
    "escalated_to" TEXT,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "deadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "household" (
    "household_id" TEXT NOT NULL,
    "case_id" TEXT,
    "programme" TEXT NOT NULL,
    "village_code" TEXT NOT NULL,
    "township_code" TEXT NOT NULL,
    "county_code" TEXT NOT NULL,
    "residence" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "monthly_fen" INTEGER NOT NULL,
    "enrolled_on" DATE NOT NULL,
    "payment_start_month" TEXT NOT NULL,
    "review_class" TEXT NOT NULL,
    "next_review_on" DATE NOT NULL,
    "single_person" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "household_pkey" PRIMARY KEY ("household_id")
);

-- CreateTable
CREATE TABLE "household_member" (
    "household_id" TEXT NOT NULL,
    "id_number" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "covered" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "disability_grade" INTEGER,
    "severe_illness" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "household_member_pkey" PRIMARY KEY ("household_id","id_number")
);

-- CreateTable
CREATE TABLE "bank_account" (
    "household_id" TEXT NOT NULL,
    "bank" TEXT NOT NULL,
    "account_no" TEXT NOT NULL,
    "holder_id_number" TEXT NOT NULL,
    "holder_name" TEXT NOT NULL,
    "registered_on" DATE NOT NULL,

    CONSTRAINT "bank_account_pkey" PRIMARY KEY ("household_id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "actor_role" TEXT,
    "action" TEXT NOT NULL,
    "workflow_id" TEXT,
    "case_id" TEXT,
    "jurisdiction" TEXT,
    "reason" TEXT,
    "data" JSONB NOT NULL,
    "event_key" TEXT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "subject" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "status_code" INTEGER,
    "body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("subject","key")
);

-- CreateIndex
CREATE INDEX "division_parent_code_idx" ON "division"("parent_code");

-- CreateIndex
CREATE UNIQUE INDEX "policy_profile_jurisdiction_effective_from_key" ON "policy_profile"("jurisdiction", "effective_from");

-- CreateIndex
CREATE INDEX "staff_member_jurisdiction_idx" ON "staff_member"("jurisdiction");

-- CreateIndex
CREATE INDEX "staff_relative_relative_id_number_idx" ON "staff_relative"("relative_id_number");

-- CreateIndex
CREATE UNIQUE INDEX "staff_relative_staff_id_relative_id_number_key" ON "staff_relative"("staff_id", "relative_id_number");

-- CreateIndex
CREATE UNIQUE INDEX "case_workflow_id_key" ON "case"("workflow_id");

-- CreateIndex
CREATE INDEX "case_village_code_step_idx" ON "case"("village_code" text_pattern_ops, "step");

-- CreateIndex
CREATE INDEX "case_county_code_step_decision_due_on_idx" ON "case"("county_code", "step", "decision_due_on");

-- CreateIndex
CREATE INDEX "case_member_id_number_idx" ON "case_member"("id_number");

-- CreateIndex
CREATE INDEX "open_application_case_id_idx" ON "open_application"("case_id");

-- CreateIndex
CREATE INDEX "deadline_jurisdiction_due_at_idx" ON "deadline"("jurisdiction" text_pattern_ops, "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadline_workflow_id_name_key" ON "deadline"("workflow_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "household_case_id_key" ON "household"("case_id");

-- CreateIndex
CREATE INDEX "household_village_code_status_idx" ON "household"("village_code" text_pattern_ops, "status");

-- CreateIndex
CREATE INDEX "household_member_id_number_idx" ON "household_member"("id_number");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_event_key_key" ON "audit_event"("event_key");

-- CreateIndex
CREATE INDEX "audit_event_case_id_seq_idx" ON "audit_event"("case_id", "seq");

-- AddForeignKey
ALTER TABLE "staff_relative" ADD CONSTRAINT "staff_relative_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_member"("staff_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_member" ADD CONSTRAINT "case_member_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("case_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "household_member" ADD CONSTRAINT "household_member_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("household_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_account" ADD CONSTRAINT "bank_account_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("household_id") ON DELETE RESTRICT ON UPDATE CASCADE;

