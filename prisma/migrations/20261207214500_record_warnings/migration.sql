-- Warnings: records written with a repaired value or without a value the target could not hold.
-- Columns are added in place (not by rebuilding the tables), so migrations written in parallel
-- that add other columns to Run or RunObject apply in any order.
CREATE TABLE "RecordWarning" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "original" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RecordWarning_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "RecordWarning_runId_objectType_sourceId_idx" ON "RecordWarning"("runId", "objectType", "sourceId");

ALTER TABLE "Run" ADD COLUMN "repairedRecords" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "valueDroppedRecords" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RunObject" ADD COLUMN "repaired" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RunObject" ADD COLUMN "valueDropped" INTEGER NOT NULL DEFAULT 0;
