-- AlterTable
ALTER TABLE "case" ALTER COLUMN "revision" SET DATA TYPE BIGINT;

