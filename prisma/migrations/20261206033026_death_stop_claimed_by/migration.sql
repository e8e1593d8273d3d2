-- AlterTable (written by hand: the previous migration's schema snapshot predates death_stop, so the
-- generated diff re-created the table; this is the diff against the table as 20261206023741 made it)
ALTER TABLE "death_stop" ADD COLUMN     "claimed_by" JSONB;
