-- AlterTable
ALTER TABLE "Run" ADD COLUMN "rollbackScope" TEXT;
ALTER TABLE "Run" ADD COLUMN "rollbackStartedAt" DATETIME;
ALTER TABLE "Run" ADD COLUMN "rollbackTotal" INTEGER;

-- CreateTable
CREATE TABLE "SettingChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "migrationId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "fixId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "previous" TEXT,
    "status" TEXT NOT NULL DEFAULT 'applied',
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restoredAt" DATETIME,
    CONSTRAINT "SettingChange_migrationId_fkey" FOREIGN KEY ("migrationId") REFERENCES "Migration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SettingChange_migrationId_status_idx" ON "SettingChange"("migrationId", "status");

