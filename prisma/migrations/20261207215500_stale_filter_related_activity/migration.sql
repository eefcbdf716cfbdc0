-- AlterTable
ALTER TABLE "Run" ADD COLUMN "activityScan" TEXT;

-- CreateTable
CREATE TABLE "RelatedActivity" (
    "runId" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "lastActivityMs" REAL NOT NULL,

    PRIMARY KEY ("runId", "objectType", "sourceId"),
    CONSTRAINT "RelatedActivity_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

