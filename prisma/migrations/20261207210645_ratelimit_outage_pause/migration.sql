-- AlterTable
ALTER TABLE "Run" ADD COLUMN "outageSince" DATETIME;
ALTER TABLE "Run" ADD COLUMN "pauseKind" TEXT;

