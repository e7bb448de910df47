-- AlterTable
ALTER TABLE "VerificationToken" ADD COLUMN     "pendingSignUp" JSONB;
