-- AlterTable
ALTER TABLE "RecordLink" ADD COLUMN "createdByRunId" TEXT;
ALTER TABLE "RecordLink" ADD COLUMN "expected" TEXT;
ALTER TABLE "RecordLink" ADD COLUMN "parentSourceId" TEXT;
ALTER TABLE "RecordLink" ADD COLUMN "pendingKeys" TEXT;
ALTER TABLE "RecordLink" ADD COLUMN "pendingMode" TEXT;
ALTER TABLE "RecordLink" ADD COLUMN "previous" TEXT;
ALTER TABLE "RecordLink" ADD COLUMN "targetObjectType" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "migrationId" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "heartbeatAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "totalRecords" INTEGER NOT NULL DEFAULT 0,
    "processedRecords" INTEGER NOT NULL DEFAULT 0,
    "createdRecords" INTEGER NOT NULL DEFAULT 0,
    "updatedRecords" INTEGER NOT NULL DEFAULT 0,
    "skippedRecords" INTEGER NOT NULL DEFAULT 0,
    "failedRecords" INTEGER NOT NULL DEFAULT 0,
    "verification" TEXT,
    "error" TEXT,
    "sampleSize" INTEGER,
    "preparedAt" DATETIME,
    "since" DATETIME,
    "sliceToken" TEXT,
    "retryAt" DATETIME,
    "transientFailures" INTEGER NOT NULL DEFAULT 0,
    "pauseReason" TEXT,
    "verifiedAt" DATETIME,
    "rolledBackAt" DATETIME,
    CONSTRAINT "Run_migrationId_fkey" FOREIGN KEY ("migrationId") REFERENCES "Migration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("createdAt", "createdRecords", "error", "failedRecords", "finishedAt", "heartbeatAt", "id", "leaseExpiresAt", "leaseOwner", "migrationId", "mode", "processedRecords", "skippedRecords", "startedAt", "status", "totalRecords", "updatedRecords", "verification") SELECT "createdAt", "createdRecords", "error", "failedRecords", "finishedAt", "heartbeatAt", "id", "leaseExpiresAt", "leaseOwner", "migrationId", "mode", "processedRecords", "skippedRecords", "startedAt", "status", "totalRecords", "updatedRecords", "verification" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_migrationId_createdAt_idx" ON "Run"("migrationId", "createdAt");
CREATE INDEX "Run_migrationId_status_startedAt_idx" ON "Run"("migrationId", "status", "startedAt");
CREATE INDEX "Run_status_leaseExpiresAt_idx" ON "Run"("status", "leaseExpiresAt");
CREATE INDEX "Run_status_heartbeatAt_idx" ON "Run"("status", "heartbeatAt");
CREATE TABLE "new_RunObject" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "targetObjectType" TEXT NOT NULL DEFAULT '',
    "parentObjectType" TEXT,
    "position" INTEGER NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "totalExact" BOOLEAN NOT NULL DEFAULT true,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "selection" TEXT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "RunObject_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RunObject" ("created", "cursor", "done", "failed", "id", "objectType", "position", "processed", "runId", "skipped", "total", "updated") SELECT "created", "cursor", "done", "failed", "id", "objectType", "position", "processed", "runId", "skipped", "total", "updated" FROM "RunObject";
DROP TABLE "RunObject";
ALTER TABLE "new_RunObject" RENAME TO "RunObject";
CREATE UNIQUE INDEX "RunObject_runId_objectType_key" ON "RunObject"("runId", "objectType");
CREATE TABLE "new_RunEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "data" TEXT,
    CONSTRAINT "RunEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RunEvent" ("at", "data", "id", "level", "message", "runId") SELECT "at", "data", "id", "level", "message", "runId" FROM "RunEvent";
DROP TABLE "RunEvent";
ALTER TABLE "new_RunEvent" RENAME TO "RunEvent";
CREATE INDEX "RunEvent_runId_at_idx" ON "RunEvent"("runId", "at");
CREATE INDEX "RunEvent_runId_kind_at_idx" ON "RunEvent"("runId", "kind", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RecordLink_runId_objectType_status_idx" ON "RecordLink"("runId", "objectType", "status");

-- CreateIndex
CREATE INDEX "RecordLink_createdByRunId_status_idx" ON "RecordLink"("createdByRunId", "status");

