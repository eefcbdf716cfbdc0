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


-- Trigger ids the wizard kept in its state before SettingChange existed become recorded changes,
-- so Ferry still puts them back.
INSERT INTO "SettingChange" ("id", "migrationId", "connectionId", "fixId", "kind", "ref", "label", "previous", "status")
SELECT 'legacy' || lower(hex(randomblob(10))), "Migration"."id", "Migration"."targetConnectionId", 'deactivate-triggers', 'setting', trigger_id.value,
       'Switched off the trigger ' || trigger_id.value, '{"state":"active"}', 'applied'
FROM "Migration", json_each(json_extract("Migration"."wizardState", '$.triggersToRestore')) AS trigger_id
WHERE "Migration"."targetConnectionId" IS NOT NULL AND json_valid("Migration"."wizardState");
