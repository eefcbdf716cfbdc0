-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "targetRateLimit" INTEGER,
ADD COLUMN     "targetRateWindowMs" INTEGER;

-- AlterTable
ALTER TABLE "RunObject" ADD COLUMN     "targetRequests" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ApiBudgetLearning" (
    "budget" TEXT NOT NULL,
    "requests" INTEGER,
    "perMs" INTEGER,
    "maxBatch" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ApiBudgetLearning_pkey" PRIMARY KEY ("budget")
);

