-- Data only, no schema change. Sign-up now requires a confirmed email address before an account
-- can sign in (issue 8, point 4). Accounts made before that rule had no way to confirm: they are
-- taken as confirmed as of their creation, so that no existing user (the demo accounts of a
-- running portal included) is locked out by the upgrade.
UPDATE "User" SET "emailVerified" = "createdAt" WHERE "emailVerified" IS NULL;
