-- AlterTable (a plain ADD COLUMN: SQLite needs no table rebuild for a column with a constant default)
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
