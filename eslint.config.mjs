import js from "@eslint/js";
import tseslint from "typescript-eslint";

const prismaMessage =
  "Database access is confined to lib/db.ts, lib/**/data.ts (reads) and lib/**/mutations.ts (writes): " +
  "call a domain function from lib/<domain>/ instead.";
const prismaImports = {
  patterns: [
    { group: ["@/lib/generated/prisma", "@/lib/generated/prisma/*", "**/generated/prisma/**", "@prisma/client", "@prisma/client/*"], message: prismaMessage },
  ],
  paths: [{ name: "@/lib/db", importNames: ["prisma", "connection"], message: prismaMessage }],
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/generated/**",
      "lib/chain/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-ignore": true, "ts-expect-error": "allow-with-description" }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "off",
      // Interface implementations (Auth.js adapter, driver runners) are async by contract.
      "@typescript-eslint/require-await": "off",
      "no-restricted-imports": ["error", prismaImports],
    },
  },
  {
    // The only places allowed to import the Prisma client.
    files: ["lib/db.ts", "lib/**/data.ts", "lib/**/mutations.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...prismaImports,
          patterns: [
            ...prismaImports.patterns,
            { group: ["@/lib/db", "@/lib/**/mutations"], message: "app/ is a thin adapter: " + prismaMessage },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly" },
    },
  },
);
