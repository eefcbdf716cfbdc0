-- AlterTable
ALTER TABLE "Migration" ADD COLUMN     "cutOverAt" TIMESTAMP(3),
ADD COLUMN     "syncBaselineAt" TIMESTAMP(3),
ADD COLUMN     "syncConflictPolicy" TEXT NOT NULL DEFAULT 'report',
ADD COLUMN     "syncDeletions" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "syncFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "syncIntervalMinutes" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "syncNextAt" TIMESTAMP(3),
ADD COLUMN     "syncStartedAt" TIMESTAMP(3),
ADD COLUMN     "syncStatus" TEXT;

-- AlterTable
ALTER TABLE "RecordLink" ADD COLUMN     "sourceDeletedAt" TIMESTAMP(3),
ADD COLUMN     "targetVersion" TEXT;

-- CreateTable
CREATE TABLE "SyncCycle" (
    "id" TEXT NOT NULL,
    "migrationId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "counts" TEXT NOT NULL DEFAULT '{}',
    "deletionsDone" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncCycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncConflict" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "migrationId" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "sourceName" TEXT,
    "targetUpdatedAt" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncConflict_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SyncCycle_runId_key" ON "SyncCycle"("runId");

-- CreateIndex
CREATE INDEX "SyncCycle_migrationId_startedAt_idx" ON "SyncCycle"("migrationId", "startedAt");

-- CreateIndex
CREATE INDEX "SyncCycle_status_idx" ON "SyncCycle"("status");

-- CreateIndex
CREATE INDEX "SyncConflict_migrationId_detectedAt_idx" ON "SyncConflict"("migrationId", "detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SyncConflict_cycleId_objectType_sourceId_key" ON "SyncConflict"("cycleId", "objectType", "sourceId");

-- AddForeignKey
ALTER TABLE "SyncCycle" ADD CONSTRAINT "SyncCycle_migrationId_fkey" FOREIGN KEY ("migrationId") REFERENCES "Migration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncConflict" ADD CONSTRAINT "SyncConflict_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "SyncCycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

