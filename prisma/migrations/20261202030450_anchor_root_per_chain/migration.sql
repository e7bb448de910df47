-- DropIndex
DROP INDEX "AnchorBatch_root_key";

-- CreateIndex
CREATE UNIQUE INDEX "AnchorBatch_root_chainId_contract_key" ON "AnchorBatch"("root", "chainId", "contract");
