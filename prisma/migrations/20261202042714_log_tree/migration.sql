-- CreateTable
CREATE TABLE "LogHash" (
    "idx" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "LogHash_pkey" PRIMARY KEY ("idx")
);

-- CreateTable
CREATE TABLE "LogTree" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "size" BIGINT NOT NULL,
    "root" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogTree_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogCheckpoint" (
    "size" BIGINT NOT NULL,
    "root" BYTEA NOT NULL,
    "note" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anchoredTx" TEXT,
    "anchoredBlock" BIGINT,
    "chainId" INTEGER,
    "contract" TEXT,

    CONSTRAINT "LogCheckpoint_pkey" PRIMARY KEY ("size")
);

-- CreateIndex
CREATE INDEX "LogCheckpoint_anchoredBlock_idx" ON "LogCheckpoint"("anchoredBlock");

-- CreateIndex
CREATE INDEX "LogEntry_idx_id_idx" ON "LogEntry"("idx", "id");

-- The empty tree: size 0, root SHA-256("") (RFC 6962 §2.1), so every batch can lock this one row.
INSERT INTO "LogTree" ("id", "size", "root") VALUES (1, 0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
