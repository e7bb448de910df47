-- AlterTable
ALTER TABLE "ConsentMember" ADD COLUMN     "rejected" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ChainLogCursor" (
    "key" TEXT NOT NULL,
    "nextBlock" INTEGER NOT NULL,

    CONSTRAINT "ChainLogCursor_pkey" PRIMARY KEY ("key")
);
