-- CreateTable
CREATE TABLE "ApiTokenGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "budget" TEXT NOT NULL,
    "grantedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ApiTokenGrant_budget_grantedAt_idx" ON "ApiTokenGrant"("budget", "grantedAt");

