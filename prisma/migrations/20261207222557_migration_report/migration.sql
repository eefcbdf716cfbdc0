-- AlterTable
ALTER TABLE "RecordWarning" ADD COLUMN "sourceName" TEXT;

-- AlterTable
ALTER TABLE "RecordLink" ADD COLUMN "sourceName" TEXT;

