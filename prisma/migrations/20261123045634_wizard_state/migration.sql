-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Migration" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sourceConnectionId" TEXT,
    "targetConnectionId" TEXT,
    "plan" TEXT NOT NULL DEFAULT '{}',
    "wizardState" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Migration_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Migration_sourceConnectionId_fkey" FOREIGN KEY ("sourceConnectionId") REFERENCES "Connection" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Migration_targetConnectionId_fkey" FOREIGN KEY ("targetConnectionId") REFERENCES "Connection" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Migration" ("createdAt", "id", "name", "organizationId", "plan", "sourceConnectionId", "status", "targetConnectionId", "updatedAt") SELECT "createdAt", "id", "name", "organizationId", "plan", "sourceConnectionId", "status", "targetConnectionId", "updatedAt" FROM "Migration";
DROP TABLE "Migration";
ALTER TABLE "new_Migration" RENAME TO "Migration";
CREATE INDEX "Migration_organizationId_updatedAt_idx" ON "Migration"("organizationId", "updatedAt");
CREATE INDEX "Migration_targetConnectionId_idx" ON "Migration"("targetConnectionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

