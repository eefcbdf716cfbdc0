-- Run phase, rate-limit wait and request counters (progress that tells the truth).
-- Plain ADD COLUMNs rather than a table rebuild, so columns other migrations add to Run are kept.
ALTER TABLE "Run" ADD COLUMN "phase" TEXT;
ALTER TABLE "Run" ADD COLUMN "phaseAt" DATETIME;
ALTER TABLE "Run" ADD COLUMN "waitingUntil" DATETIME;
ALTER TABLE "Run" ADD COLUMN "waitingFor" TEXT;
ALTER TABLE "Run" ADD COLUMN "sourceRequests" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "targetRequests" INTEGER NOT NULL DEFAULT 0;
