-- migration: 20230518191501_init
-- CreateTable
CREATE TABLE "Example" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Example_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken"("identifier", "token");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20230518193415_add_observaionts_and_traces
-- CreateTable
CREATE TABLE "traces" (
    "id" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "name" TEXT NOT NULL,
    "attributes" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "status_message" TEXT,

    CONSTRAINT "traces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "observations" (
    "id" TEXT NOT NULL,
    "traceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "start_time" TIMESTAMP(3) NOT NULL,
    "end_time" TIMESTAMP(3) NOT NULL,
    "attributes" JSONB NOT NULL,
    "parentObservationId" TEXT,

    CONSTRAINT "observations_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_traceId_fkey" FOREIGN KEY ("traceId") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_parentObservationId_fkey" FOREIGN KEY ("parentObservationId") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20230518193521_changes
/*
  Warnings:

  - You are about to drop the column `parentObservationId` on the `observations` table. All the data in the column will be lost.
  - Added the required column `type` to the `observations` table without a default value. This is not possible if the table is not empty.

*/
-- DropForeignKey
ALTER TABLE "observations" DROP CONSTRAINT "observations_parentObservationId_fkey";

-- AlterTable
ALTER TABLE "observations" DROP COLUMN "parentObservationId",
ADD COLUMN     "parent_observation_id" TEXT,
ADD COLUMN     "type" TEXT NOT NULL;

-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_parent_observation_id_fkey" FOREIGN KEY ("parent_observation_id") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20230522092340_add_metrics_and_observation_types
/*
  Warnings:

  - Changed the type of `type` on the `observations` table. No cast exists, the column would be dropped and recreated, which cannot be done if there is data, since the column is required.

*/
-- CreateEnum
CREATE TYPE "ObservationType" AS ENUM ('SPAN', 'EVENT', 'LLMCALL');

-- AlterTable
ALTER TABLE "observations" DROP COLUMN "type",
ADD COLUMN     "type" "ObservationType" NOT NULL;

-- CreateTable
CREATE TABLE "metrics" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "traceId" TEXT NOT NULL,
    "observationId" TEXT,

    CONSTRAINT "metrics_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_traceId_fkey" FOREIGN KEY ("traceId") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_observationId_fkey" FOREIGN KEY ("observationId") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20230522094431_endtime_optional
-- AlterTable
ALTER TABLE "observations" ALTER COLUMN "end_time" DROP NOT NULL;

;
-- migration: 20230522131516_default_timestamp
/*
  Warnings:

  - You are about to drop the column `createdAt` on the `metrics` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "metrics" DROP COLUMN "createdAt",
ADD COLUMN     "timestamp" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "observations" ALTER COLUMN "start_time" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "traces" ALTER COLUMN "timestamp" SET DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20230523082455_rename_metrics_to_gradings
/*
  Warnings:

  - You are about to drop the `metrics` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropForeignKey
ALTER TABLE "metrics" DROP CONSTRAINT "metrics_observationId_fkey";

-- DropForeignKey
ALTER TABLE "metrics" DROP CONSTRAINT "metrics_traceId_fkey";

-- DropTable
DROP TABLE "metrics";

-- CreateTable
CREATE TABLE "gradings" (
    "id" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "traceId" TEXT NOT NULL,
    "observationId" TEXT,

    CONSTRAINT "gradings_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "gradings" ADD CONSTRAINT "gradings_traceId_fkey" FOREIGN KEY ("traceId") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gradings" ADD CONSTRAINT "gradings_observationId_fkey" FOREIGN KEY ("observationId") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20230523084523_rename_to_score
/*
  Warnings:

  - You are about to drop the `gradings` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropForeignKey
ALTER TABLE "gradings" DROP CONSTRAINT "gradings_observationId_fkey";

-- DropForeignKey
ALTER TABLE "gradings" DROP CONSTRAINT "gradings_traceId_fkey";

-- DropTable
DROP TABLE "gradings";

-- CreateTable
CREATE TABLE "scores" (
    "id" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "traceId" TEXT NOT NULL,
    "observationId" TEXT,

    CONSTRAINT "scores_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_traceId_fkey" FOREIGN KEY ("traceId") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_observationId_fkey" FOREIGN KEY ("observationId") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20230529140133_user_add_pw
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "password" TEXT;

;
-- migration: 20230530204241_auth_api_ui
/*
  Warnings:

  - You are about to drop the column `userId` on the `Account` table. All the data in the column will be lost.
  - You are about to drop the column `createdAt` on the `Example` table. All the data in the column will be lost.
  - You are about to drop the column `updatedAt` on the `Example` table. All the data in the column will be lost.
  - You are about to drop the column `sessionToken` on the `Session` table. All the data in the column will be lost.
  - You are about to drop the column `userId` on the `Session` table. All the data in the column will be lost.
  - You are about to drop the column `traceId` on the `observations` table. All the data in the column will be lost.
  - You are about to drop the column `observationId` on the `scores` table. All the data in the column will be lost.
  - You are about to drop the column `traceId` on the `scores` table. All the data in the column will be lost.
  - You are about to drop the `User` table. If the table is not empty, all the data it contains will be lost.
  - You are about to drop the `VerificationToken` table. If the table is not empty, all the data it contains will be lost.
  - A unique constraint covering the columns `[session_token]` on the table `Session` will be added. If there are existing duplicate values, this will fail.
  - Added the required column `user_id` to the `Account` table without a default value. This is not possible if the table is not empty.
  - Added the required column `updated_at` to the `Example` table without a default value. This is not possible if the table is not empty.
  - Added the required column `session_token` to the `Session` table without a default value. This is not possible if the table is not empty.
  - Added the required column `user_id` to the `Session` table without a default value. This is not possible if the table is not empty.
  - Added the required column `trace_id` to the `observations` table without a default value. This is not possible if the table is not empty.
  - Added the required column `trace_id` to the `scores` table without a default value. This is not possible if the table is not empty.
  - Added the required column `project_id` to the `traces` table without a default value. This is not possible if the table is not empty.

*/
-- CreateEnum
CREATE TYPE "MembershipRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');

-- DropForeignKey
ALTER TABLE "Account" DROP CONSTRAINT "Account_userId_fkey";

-- DropForeignKey
ALTER TABLE "Session" DROP CONSTRAINT "Session_userId_fkey";

-- DropForeignKey
ALTER TABLE "observations" DROP CONSTRAINT "observations_traceId_fkey";

-- DropForeignKey
ALTER TABLE "scores" DROP CONSTRAINT "scores_observationId_fkey";

-- DropForeignKey
ALTER TABLE "scores" DROP CONSTRAINT "scores_traceId_fkey";

-- DropIndex
DROP INDEX "Session_sessionToken_key";

-- AlterTable
ALTER TABLE "Account" DROP COLUMN "userId",
ADD COLUMN     "user_id" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "Example" DROP COLUMN "createdAt",
DROP COLUMN "updatedAt",
ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL;

-- AlterTable
ALTER TABLE "Session" DROP COLUMN "sessionToken",
DROP COLUMN "userId",
ADD COLUMN     "session_token" TEXT NOT NULL,
ADD COLUMN     "user_id" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "observations" DROP COLUMN "traceId",
ADD COLUMN     "trace_id" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "scores" DROP COLUMN "observationId",
DROP COLUMN "traceId",
ADD COLUMN     "observation_id" TEXT,
ADD COLUMN     "trace_id" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "project_id" TEXT NOT NULL;

-- DropTable
DROP TABLE "User";

-- DropTable
DROP TABLE "VerificationToken";

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "email_verified" TIMESTAMP(3),
    "password" TEXT,
    "image" TEXT,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "projects" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT NOT NULL,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,
    "publishable_key" TEXT NOT NULL,
    "hashed_secret_key" TEXT NOT NULL,
    "display_secret_key" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "project_id" TEXT NOT NULL,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "MembershipRole" NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("project_id","user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_id_key" ON "api_keys"("id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_publishable_key_key" ON "api_keys"("publishable_key");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hashed_secret_key_key" ON "api_keys"("hashed_secret_key");

-- CreateIndex
CREATE UNIQUE INDEX "Session_session_token_key" ON "Session"("session_token");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traces" ADD CONSTRAINT "traces_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_trace_id_fkey" FOREIGN KEY ("trace_id") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_trace_id_fkey" FOREIGN KEY ("trace_id") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_observation_id_fkey" FOREIGN KEY ("observation_id") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20230618125818_remove_status_from_trace
/*
  Warnings:

  - You are about to drop the column `status` on the `traces` table. All the data in the column will be lost.
  - You are about to drop the column `status_message` on the `traces` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "traces" DROP COLUMN "status",
DROP COLUMN "status_message";

;
-- migration: 20230620181114_restructure
/*
  Warnings:
  - THIS IS BREAKING

*/
-- AlterEnum
BEGIN;
CREATE TYPE "ObservationType_new" AS ENUM ('SPAN', 'EVENT', 'GENERATION');
ALTER TABLE "observations" ALTER COLUMN "type" TYPE "ObservationType_new" USING ("type"::text::"ObservationType_new");
ALTER TYPE "ObservationType" RENAME TO "ObservationType_old";
ALTER TYPE "ObservationType_new" RENAME TO "ObservationType";
DROP TYPE "ObservationType_old";
COMMIT;

-- AlterTable
ALTER TABLE "observations" DROP COLUMN "attributes",
ADD COLUMN     "completion" TEXT,
ADD COLUMN     "metadata" JSONB,
ADD COLUMN     "model" TEXT,
ADD COLUMN     "modelParameters" JSONB,
ADD COLUMN     "prompt" JSONB,
ADD COLUMN     "usage" JSONB,
ALTER COLUMN "name" DROP NOT NULL;

-- AlterTable
ALTER TABLE "traces" DROP COLUMN "attributes",
ADD COLUMN     "metadata" JSONB,
ALTER COLUMN "name" DROP NOT NULL;

;
-- migration: 20230622114254_new_oservations
BEGIN;

ALTER TABLE "observations"
RENAME COLUMN "prompt" TO "input";

ALTER TABLE "observations"
ADD COLUMN "output_temp" JSONB;

UPDATE "observations"
SET "output_temp" = json_build_object('completion', "observations"."completion");

ALTER TABLE "observations"
DROP COLUMN "completion";

ALTER TABLE "observations"
RENAME COLUMN "output_temp" TO "output";

COMMIT;
;
-- migration: 20230623172401_observation_add_level_and_status_message
-- CreateEnum
CREATE TYPE "ObservationLevel" AS ENUM ('DEBUG', 'DEFAULT', 'WARNING', 'ERROR');

-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "level" "ObservationLevel" NOT NULL DEFAULT 'DEFAULT',
ADD COLUMN     "status_message" TEXT;

;
-- migration: 20230626095337_external_trace_id
ALTER TABLE "traces" ADD COLUMN     "external_id" TEXT;
CREATE UNIQUE INDEX "traces_project_id_external_id_key" ON "traces"("project_id", "external_id");

;
-- migration: 20230705160335_add_created_updated_timestamps
-- AlterTable
ALTER TABLE "memberships" ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20230706195819_add_completion_start_time
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "completion_start_time" TIMESTAMP(3);

;
-- migration: 20230707132314_traces_project_id_index
-- CreateIndex
CREATE INDEX "traces_project_id_idx" ON "traces"("project_id");

;
-- migration: 20230707133415_user_add_email_index
-- CreateIndex
CREATE INDEX "Account_user_id_idx" ON "Account"("user_id");

;
-- migration: 20230710105741_added_indices
-- DropIndex
DROP INDEX "traces_project_id_idx";

-- CreateIndex
CREATE INDEX "observations_trace_id_type_idx" ON "observations"("trace_id", "type");

-- CreateIndex
CREATE INDEX "scores_value_idx" ON "scores"("value");

-- CreateIndex
CREATE INDEX "traces_project_id_name_idx" ON "traces"("project_id", "name");

;
-- migration: 20230710114928_traces_add_user_id
-- DropIndex
DROP INDEX "traces_project_id_name_idx";

-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "user_id" TEXT;

-- CreateIndex
CREATE INDEX "traces_project_id_name_user_id_idx" ON "traces"("project_id", "name", "user_id");

;
-- migration: 20230710200816_scores_add_comment
-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "comment" TEXT;

;
-- migration: 20230711104810_traces_add_index
-- DropIndex
DROP INDEX "traces_project_id_name_user_id_idx";

-- CreateIndex
CREATE INDEX "traces_project_id_name_user_id_external_id_idx" ON "traces"("project_id", "name", "user_id", "external_id");

;
-- migration: 20230711110517_memberships_add_userid_index
-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

;
-- migration: 20230711112235_fix_indices
-- DropIndex
DROP INDEX "observations_trace_id_type_idx";

-- DropIndex
DROP INDEX "traces_project_id_name_user_id_external_id_idx";

-- CreateIndex
CREATE INDEX "observations_trace_id_idx" ON "observations"("trace_id");

-- CreateIndex
CREATE INDEX "observations_type_idx" ON "observations"("type");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "traces_project_id_idx" ON "traces"("project_id");

-- CreateIndex
CREATE INDEX  "traces_name_idx" ON "traces"("name");

-- CreateIndex
CREATE INDEX "traces_user_id_idx" ON "traces"("user_id");

-- CreateIndex
CREATE INDEX "traces_external_id_idx" ON "traces"("external_id");

;
-- migration: 20230717190411_users_feature_flags
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "feature_flags" TEXT[] DEFAULT ARRAY[]::TEXT[];

;
-- migration: 20230720162550_tokens
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "completion_tokens" INTEGER,
ADD COLUMN     "prompt_tokens" INTEGER,
ADD COLUMN     "total_tokens" INTEGER;

;
-- migration: 20230720164603_migrate_tokens
-- This is an empty migration.
UPDATE observations
  SET prompt_tokens = CAST(usage::json->>'promptTokens' AS INTEGER),
  completion_tokens = CAST(usage::json->>'completionTokens' AS INTEGER),
  total_tokens = CAST(usage::json->>'totalTokens' AS INTEGER);
;
-- migration: 20230720172051_tokens_non_null
/*
  Warnings:

  - Made the column `completion_tokens` on table `observations` required. This step will fail if there are existing NULL values in that column.
  - Made the column `prompt_tokens` on table `observations` required. This step will fail if there are existing NULL values in that column.
  - Made the column `total_tokens` on table `observations` required. This step will fail if there are existing NULL values in that column.

*/
-- AlterTable
UPDATE observations SET prompt_tokens = COALESCE(prompt_tokens, 0);
UPDATE observations SET completion_tokens = COALESCE(completion_tokens, 0);
UPDATE observations SET total_tokens = COALESCE(total_tokens, 0);

ALTER TABLE "observations"
ALTER COLUMN "completion_tokens" SET DEFAULT 0,
ALTER COLUMN "prompt_tokens" SET DEFAULT 0,
ALTER COLUMN "total_tokens" SET DEFAULT 0,
ALTER COLUMN "completion_tokens" SET NOT NULL,
ALTER COLUMN "prompt_tokens" SET NOT NULL,
ALTER COLUMN "total_tokens" SET NOT NULL;

;
-- migration: 20230721111651_drop_usage_json
/*
  Warnings:

  - You are about to drop the column `usage` on the `observations` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "observations" DROP COLUMN "usage";

;
-- migration: 20230731162154_score_value_float
-- AlterTable
ALTER TABLE "scores" ALTER COLUMN "value" SET DATA TYPE DOUBLE PRECISION;

;
-- migration: 20230803093326_add_release_and_version
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "version" TEXT;

-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "release" TEXT,
ADD COLUMN     "version" TEXT;

;
-- migration: 20230809093636_remove_foreign_keys
-- DropForeignKey
ALTER TABLE "observations" DROP CONSTRAINT "observations_parent_observation_id_fkey";

-- DropForeignKey
ALTER TABLE "observations" DROP CONSTRAINT "observations_trace_id_fkey";

;
-- migration: 20230809132331_add_project_id_to_observations
/*
  Warnings:

  - Added the required column `project_id` to the `observations` table without a default value. This is not possible if the table is not empty.

*/
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "project_id" TEXT;

-- Backfill data in the new column
UPDATE "observations" o
SET "project_id" = t."project_id"
FROM "traces" t
WHERE o."trace_id" = t."id";

-- To be applied in separate migration after application release to minimize ingestion downtime
-- ALTER TABLE "observations"
-- ALTER COLUMN "project_id" SET NOT NULL;


-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

;
-- migration: 20230810191452_traceid_nullable_on_observations
-- AlterTable
ALTER TABLE "observations" ALTER COLUMN "trace_id" DROP NOT NULL;

;
-- migration: 20230810191453_project_id_not_null
-- Applied in separate migration after application release to minimize ingestion downtime
ALTER TABLE "observations"
ALTER COLUMN "project_id" SET NOT NULL;

;
-- migration: 20230814184705_add_viewer_membership_role
-- AlterEnum
ALTER TYPE "MembershipRole" ADD VALUE 'VIEWER';

;
-- migration: 20230901155252_add_pricings_table
-- CreateEnum
CREATE TYPE "PricingUnit" AS ENUM ('PER_1000_TOKENS');

-- CreateEnum
CREATE TYPE "TokenType" AS ENUM ('PROMPT', 'COMPLETION', 'TOTAL');

-- CreateTable
CREATE TABLE "pricings" (
    "id" TEXT NOT NULL,
    "model_name" TEXT NOT NULL,
    "pricing_unit" "PricingUnit" NOT NULL DEFAULT 'PER_1000_TOKENS',
    "price" DECIMAL(65,30) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "token_type" "TokenType" NOT NULL,

    CONSTRAINT "pricings_pkey" PRIMARY KEY ("id")
);

;
-- migration: 20230901155336_add_pricing_data

-- This migration adds default prices for the models that are currently available on the LANGCHAIN platform.
-- https://github.com/langchain-ai/langchain/blob/e60e1cdf23ad73b2e0a40034c0ddfc3c8b0c9c4d/libs/langchain/langchain/callbacks/openai_info.py#L7

INSERT INTO pricings (
  id,
  model_name, 
  pricing_unit, 
  price,
  currency,
  token_type
)
VALUES
  ('clm0obv1u00003b6lc9etkzfg','gpt-4', 'PER_1000_TOKENS', 0.03, 'USD', 'PROMPT'),
  ('clm0obv1u00013b6l4jdl83vs','gpt-4-0314', 'PER_1000_TOKENS', 0.03, 'USD', 'PROMPT'),
  ('clm0obv1u00023b6lsi1d24dh','gpt-4-0613', 'PER_1000_TOKENS', 0.03, 'USD', 'PROMPT'),
  ('clm0obv1u00033b6lvv4h0iex','gpt-4-32k', 'PER_1000_TOKENS', 0.06, 'USD', 'PROMPT'),
  ('clm0obv1u00043b6ln5pleunh','gpt-4-32k-0314', 'PER_1000_TOKENS', 0.06, 'USD', 'PROMPT'),
  ('clm0obv1u00053b6l0g4zo5oe','gpt-4-32k-0613', 'PER_1000_TOKENS', 0.06, 'USD', 'PROMPT'),
  ('clm0obv1u00063b6lv7y80efe','gpt-4', 'PER_1000_TOKENS', 0.06, 'USD', 'COMPLETION'),
  ('clm0obv1u00073b6l302roky7','gpt-4-0314', 'PER_1000_TOKENS', 0.06, 'USD', 'COMPLETION'),
  ('clm0obv1u00083b6laz822qt4','gpt-4-0613', 'PER_1000_TOKENS', 0.06, 'USD', 'COMPLETION'),
  ('clm0obv1u00093b6l9ivm2fbs','gpt-4-32k', 'PER_1000_TOKENS', 0.12, 'USD', 'COMPLETION'),
  ('clm0obv1u000a3b6l7ou8mq4o','gpt-4-32k-0314', 'PER_1000_TOKENS', 0.12, 'USD', 'COMPLETION'),
  ('clm0obv1u000b3b6lym69vmpx','gpt-4-32k-0613', 'PER_1000_TOKENS', 0.12, 'USD', 'COMPLETION'),
  ('clm0obv1u000c3b6lfeg8e6gh','gpt-3.5-turbo', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clm0obv1u000d3b6lb8ww3uj2','gpt-3.5-turbo-0301', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clm0obv1u000e3b6lznniclze','gpt-3.5-turbo-0613', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clm0obv1u000f3b6lr2bxjnxr','gpt-3.5-turbo-16k', 'PER_1000_TOKENS', 0.003, 'USD', 'PROMPT'),
  ('clm0obv1u000g3b6lo3rqrgpj','gpt-3.5-turbo-16k-0613', 'PER_1000_TOKENS', 0.003, 'USD', 'PROMPT'),
  ('clm0obv1u000h3b6lt1l33gpm','gpt-3.5-turbo', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clm0obv1u000i3b6lgfs7pi5b','gpt-3.5-turbo-0301', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clm0obv1u000j3b6lg1jokl07','gpt-3.5-turbo-0613', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clm0obv1u000k3b6lgfntsm74','gpt-3.5-turbo-16k', 'PER_1000_TOKENS', 0.004, 'USD', 'COMPLETION'),
  ('clm0obv1u000l3b6l8wjhn0ie','gpt-3.5-turbo-16k-0613', 'PER_1000_TOKENS', 0.004, 'USD', 'COMPLETION'),
  ('clm0obv1u000m3b6lgrcel0ce','gpt-35-turbo', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clm0obv1u000n3b6lw3bc6q70','gpt-35-turbo-0301', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clm0obv1u000o3b6luimelud7','gpt-35-turbo-0613', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clm0obv1u000p3b6lft9rfj1h','gpt-35-turbo-16k', 'PER_1000_TOKENS', 0.003, 'USD', 'PROMPT'),
  ('clm0obv1u000q3b6l1zh6x8lu','gpt-35-turbo-16k-0613', 'PER_1000_TOKENS', 0.003, 'USD', 'PROMPT'),
  ('clm0obv1v000r3b6llobngoj3','gpt-35-turbo', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clm0obv1v000s3b6lgcjqu15e','gpt-35-turbo-0301', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clm0obv1v000t3b6l6ijo29gd','gpt-35-turbo-0613', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'), 
  ('clm0obv1v000u3b6lo16c29a1','gpt-35-turbo-16k', 'PER_1000_TOKENS', 0.004, 'USD', 'COMPLETION'),
  ('clm0obv1v000v3b6leqypomnv','gpt-35-turbo-16k-0613', 'PER_1000_TOKENS', 0.004, 'USD', 'COMPLETION'),
  ('clm0obv1v000w3b6l6y0ojr1j','text-ada-001', 'PER_1000_TOKENS', 0.0004, 'USD', 'TOTAL'),
  ('clm0obv1v000x3b6lwdjl5os6','ada', 'PER_1000_TOKENS', 0.0004, 'USD', 'TOTAL'),
  ('clm0obv1v000y3b6lsap2cbkj','text-babbage-001', 'PER_1000_TOKENS', 0.0005, 'USD', 'TOTAL'),
  ('clm0obv1v000z3b6lto21j3xd','babbage', 'PER_1000_TOKENS', 0.0005, 'USD', 'TOTAL'),
  ('clm0obv1v00103b6lges5uumn','text-curie-001', 'PER_1000_TOKENS', 0.002, 'USD', 'TOTAL'),
  ('clm0obv1v00113b6l2vizhjhc','curie', 'PER_1000_TOKENS', 0.002, 'USD', 'TOTAL'),
  ('clm0obv1v00123b6lqb7mfrzr','text-davinci-003', 'PER_1000_TOKENS', 0.02, 'USD', 'TOTAL'),
  ('clm0obv1v00133b6lnqa8ecal','text-davinci-002', 'PER_1000_TOKENS', 0.02, 'USD', 'TOTAL'),
  ('clm0obv1v00143b6l6z5s44sf','code-davinci-002', 'PER_1000_TOKENS', 0.02, 'USD', 'TOTAL'),
  ('clm0obv1v00153b6lyntq7lx0','ada-finetuned', 'PER_1000_TOKENS', 0.0016, 'USD', 'TOTAL'),
  ('clm0obv1v00163b6l5fsheo7p','babbage-finetuned', 'PER_1000_TOKENS', 0.0024, 'USD', 'TOTAL'),
  ('clm0obv1v00173b6lly0887fz','curie-finetuned', 'PER_1000_TOKENS', 0.012, 'USD', 'TOTAL'),
  ('clm0obv1v00183b6lg20tw4g4','davinci-finetuned', 'PER_1000_TOKENS', 0.12, 'USD', 'TOTAL')
;
-- migration: 20230907204921_add_cron_jobs_table
-- CreateTable
CREATE TABLE "cron_jobs" (
    "name" TEXT NOT NULL,
    "last_run" TIMESTAMP(3),

    CONSTRAINT "cron_jobs_pkey" PRIMARY KEY ("name")
);

;
-- migration: 20230907225603_projects_updated_at
-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20230907225604_api_keys_publishable_to_public
-- DropIndex
DROP INDEX "api_keys_publishable_key_key";

-- RENAME column from "publishable_key" to "public_key" on table "api_keys"
ALTER TABLE "api_keys" rename column "publishable_key" to "public_key";

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_public_key_key" ON "api_keys"("public_key");

;
-- migration: 20230910164603_cron_add_state
-- AlterTable
ALTER TABLE "cron_jobs" ADD COLUMN     "state" TEXT;

;
-- migration: 20230912115644_add_trace_public_bool
-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "public" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20230918180320_add_indices
-- CreateIndex
CREATE INDEX "observations_start_time_idx" ON "observations"("start_time");

-- CreateIndex
CREATE INDEX "traces_timestamp_idx" ON "traces"("timestamp");

;
-- migration: 20230922030325_add_observation_index
-- CreateIndex
CREATE INDEX "observations_project_id_idx" ON "observations"("project_id");

;
-- migration: 20230924232619_datasets_init
-- CreateTable
CREATE TABLE "datasets" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_items" (
    "id" TEXT NOT NULL,
    "input" JSONB,
    "expected_output" JSONB,
    "source_observation_id" TEXT,
    "dataset_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_runs" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_run_items" (
    "id" TEXT NOT NULL,
    "dataset_run_id" TEXT NOT NULL,
    "dataset_item_id" TEXT NOT NULL,
    "observation_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_run_items_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_source_observation_id_fkey" FOREIGN KEY ("source_observation_id") REFERENCES "observations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_runs" ADD CONSTRAINT "dataset_runs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_dataset_run_id_fkey" FOREIGN KEY ("dataset_run_id") REFERENCES "dataset_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_dataset_item_id_fkey" FOREIGN KEY ("dataset_item_id") REFERENCES "dataset_items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_observation_id_fkey" FOREIGN KEY ("observation_id") REFERENCES "observations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

;
-- migration: 20230924232620_datasets_continued
/*
  Warnings:

  - A unique constraint covering the columns `[dataset_id,name]` on the table `dataset_runs` will be added. If there are existing duplicate values, this will fail.
  - A unique constraint covering the columns `[project_id,name]` on the table `datasets` will be added. If there are existing duplicate values, this will fail.
  - Made the column `input` on table `dataset_items` required. This step will fail if there are existing NULL values in that column.

*/
-- CreateEnum
CREATE TYPE "DatasetStatus" AS ENUM ('ACTIVE', 'ARCHIVED');

-- AlterTable
ALTER TABLE "dataset_items" ADD COLUMN     "status" "DatasetStatus" NOT NULL DEFAULT 'ACTIVE',
ALTER COLUMN "input" SET NOT NULL;

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "status" "DatasetStatus" NOT NULL DEFAULT 'ACTIVE';

-- CreateIndex
CREATE UNIQUE INDEX "dataset_runs_dataset_id_name_key" ON "dataset_runs"("dataset_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_project_id_name_key" ON "datasets"("project_id", "name");

;
-- migration: 20231004005909_add_parent_observation_id_index
-- CreateIndex
CREATE INDEX "observations_parent_observation_id_idx" ON "observations"("parent_observation_id");

;
-- migration: 20231005064433_add_release_index
-- CreateIndex
CREATE INDEX "traces_release_idx" ON "traces"("release");

;
-- migration: 20231009095917_add_ondelete_cascade
-- DropForeignKey
ALTER TABLE "dataset_run_items" DROP CONSTRAINT "dataset_run_items_dataset_item_id_fkey";

-- DropForeignKey
ALTER TABLE "dataset_run_items" DROP CONSTRAINT "dataset_run_items_dataset_run_id_fkey";

-- DropForeignKey
ALTER TABLE "dataset_run_items" DROP CONSTRAINT "dataset_run_items_observation_id_fkey";

-- DropForeignKey
ALTER TABLE "dataset_runs" DROP CONSTRAINT "dataset_runs_dataset_id_fkey";

-- DropForeignKey
ALTER TABLE "observations" DROP CONSTRAINT "observations_project_id_fkey";

-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_runs" ADD CONSTRAINT "dataset_runs_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_dataset_run_id_fkey" FOREIGN KEY ("dataset_run_id") REFERENCES "dataset_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_dataset_item_id_fkey" FOREIGN KEY ("dataset_item_id") REFERENCES "dataset_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_observation_id_fkey" FOREIGN KEY ("observation_id") REFERENCES "observations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20231012161041_add_events_table
-- CreateTable
CREATE TABLE "events" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "url" TEXT,
    "method" TEXT,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20231014131841_users_add_admin_flag
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "admin" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20231018130032_add_per_1000_chars_pricing
-- AlterEnum
ALTER TYPE "PricingUnit" ADD VALUE 'PER_1000_CHARS';

;
-- migration: 20231019094815_add_additional_secret_key_column
/*
  Warnings:

  - A unique constraint covering the columns `[fast_hashed_secret_key]` on the table `api_keys` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "fast_hashed_secret_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_fast_hashed_secret_key_key" ON "api_keys"("fast_hashed_secret_key");

-- CreateIndex
CREATE INDEX "api_keys_project_id_idx" ON "api_keys"("project_id");

-- CreateIndex
CREATE INDEX "api_keys_public_key_idx" ON "api_keys"("public_key");

-- CreateIndex
CREATE INDEX "api_keys_hashed_secret_key_idx" ON "api_keys"("hashed_secret_key");

-- CreateIndex
CREATE INDEX "api_keys_fast_hashed_secret_key_idx" ON "api_keys"("fast_hashed_secret_key");

;
-- migration: 20231021182825_user_emails_all_lowercase
-- Due to the unique constraint on the email column, we need to make sure that all emails are in lowercase.
-- This migration will update all existing emails to be lowercase.
-- This migration fails if there are duplicate emails in the database.

UPDATE "users" SET "email" = LOWER("email");

;
-- migration: 20231025153548_add_headers_to_events
-- AlterTable
ALTER TABLE "events" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}';

;
-- migration: 20231030184329_events_add_index_on_projectid
-- CreateIndex
CREATE INDEX "events_project_id_idx" ON "events"("project_id");

;
-- migration: 20231104004529_scores_add_index
-- CreateIndex
CREATE INDEX "scores_trace_id_idx" ON "scores" USING HASH ("trace_id");

-- CreateIndex
CREATE INDEX "scores_observation_id_idx" ON "scores" USING HASH ("observation_id");

;
-- migration: 20231104005403_fkey_indicies
-- CreateIndex
CREATE INDEX "dataset_items_source_observation_id_idx" ON "dataset_items" USING HASH ("source_observation_id");

-- CreateIndex
CREATE INDEX "dataset_items_dataset_id_idx" ON "dataset_items" USING HASH ("dataset_id");

-- CreateIndex
CREATE INDEX "dataset_run_items_dataset_run_id_idx" ON "dataset_run_items" USING HASH ("dataset_run_id");

-- CreateIndex
CREATE INDEX "dataset_run_items_dataset_item_id_idx" ON "dataset_run_items" USING HASH ("dataset_item_id");

-- CreateIndex
CREATE INDEX "dataset_run_items_observation_id_idx" ON "dataset_run_items" USING HASH ("observation_id");

-- CreateIndex
CREATE INDEX "dataset_runs_dataset_id_idx" ON "dataset_runs" USING HASH ("dataset_id");

-- CreateIndex
CREATE INDEX "datasets_project_id_idx" ON "datasets" USING HASH ("project_id");

;
-- migration: 20231106213824_add_openai_models
-- This is an empty migration.

INSERT INTO pricings (
  id,
  model_name, 
  pricing_unit, 
  price,
  currency,
  token_type
)
VALUES
  ('clm0obv1u00003b6lc2etkzfu','gpt-4-1106-preview', 'PER_1000_TOKENS', 0.01, 'USD', 'PROMPT'),
  ('clm0obv1u00003b6lc2etkzfg','gpt-4-1106-preview', 'PER_1000_TOKENS', 0.03, 'USD', 'COMPLETION'),
  ('clm0obv1u00013b6l4gdl83vs','gpt-4-1106-vision-preview	', 'PER_1000_TOKENS', 0.01, 'USD', 'PROMPT'),
  ('clm0obv1u00013b6l4gjl83vs','gpt-4-1106-vision-preview	', 'PER_1000_TOKENS', 0.03, 'USD', 'COMPLETION')
;
-- migration: 20231110012457_observation_created_at
-- AlterTable
ALTER TABLE "observations" ADD COLUMN "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20231110012829_observation_created_at_index
-- CreateIndex
CREATE INDEX "observations_created_at_idx" ON "observations"("created_at");

;
-- migration: 20231112095703_observations_add_unique_constraint
/*
  Warnings:

  - A unique constraint covering the columns `[id,project_id]` on the table `observations` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE UNIQUE INDEX "observations_id_project_id_key" ON "observations"("id", "project_id");

;
-- migration: 20231116005353_scores_unique_id_projectid
/*
  Warnings:

  - A unique constraint covering the columns `[id,trace_id]` on the table `scores` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE UNIQUE INDEX "scores_id_trace_id_key" ON "scores"("id", "trace_id");

;
-- migration: 20231119171939_cron_add_job_started_at
-- AlterTable
ALTER TABLE "cron_jobs" ADD COLUMN     "job_started_at" TIMESTAMP(3);

;
-- migration: 20231119171940_bookmarked

-- AlterTable
ALTER TABLE "traces" ADD COLUMN "bookmarked" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20231129013314_invites
-- CreateTable
CREATE TABLE "membership_invitations" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "MembershipRole" NOT NULL,
    "project_id" TEXT NOT NULL,
    "sender_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_invitations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "membership_invitations_id_key" ON "membership_invitations"("id");

-- CreateIndex
CREATE INDEX "membership_invitations_project_id_idx" ON "membership_invitations"("project_id");

-- CreateIndex
CREATE INDEX "membership_invitations_email_idx" ON "membership_invitations"("email");

-- AddForeignKey
ALTER TABLE "membership_invitations" ADD CONSTRAINT "membership_invitations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership_invitations" ADD CONSTRAINT "membership_invitations_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20231130003317_trace_session_input_output
-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "input" JSONB,
ADD COLUMN     "output" JSONB,
ADD COLUMN     "session_id" TEXT;

-- CreateTable
CREATE TABLE "trace_sessions" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "bookmarked" BOOLEAN NOT NULL DEFAULT false,
    "public" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "trace_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "trace_sessions_project_id_idx" ON "trace_sessions"("project_id");

-- CreateIndex
CREATE INDEX "trace_sessions_created_at_idx" ON "trace_sessions"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "trace_sessions_id_project_id_key" ON "trace_sessions"("id", "project_id");

-- CreateIndex
CREATE INDEX "traces_session_id_idx" ON "traces"("session_id");

-- AddForeignKey
ALTER TABLE "trace_sessions" ADD CONSTRAINT "trace_sessions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traces" ADD CONSTRAINT "traces_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "trace_sessions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20231204223505_add_unit_to_observations
-- AlterTable
-- Adding this migration does not lock the postgres table. For non volaitile data, the default value is stored in the 
-- table metadata and accessed on read query time. No table re-write is required (https://www.postgresql.org/docs/current/sql-altertable.html#:~:text=When%20a%20column%20is%20added,is%20specified%2C%20NULL%20is%20used.)
ALTER TABLE "observations" ADD COLUMN "unit" TEXT NOT NULL DEFAULT 'TOKENS';
;
-- migration: 20231223230007_cloud_config
-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "cloud_config" JSONB;

;
-- migration: 20231223230008_accounts_add_cols_azure_ad_auth
-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "expires_in" INTEGER,
ADD COLUMN     "ext_expires_in" INTEGER;

;
-- migration: 20231230151856_add_prompt_table
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "prompt_id" TEXT;

-- CreateTable
CREATE TABLE "prompts" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "prompt" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "is_active" BOOLEAN NOT NULL,

    CONSTRAINT "prompts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "prompts_project_id_name_version_idx" ON "prompts"("project_id", "name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "prompts_project_id_name_version_key" ON "prompts"("project_id", "name", "version");

-- AddForeignKey
ALTER TABLE "observations" ADD CONSTRAINT "observations_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240103135918_add_pricings
-- Migration to add gpt-3.5-turbo-1106 and gpt-3.5-turbo-instruct models

INSERT INTO pricings (
  id,
  model_name, 
  pricing_unit, 
  price,
  currency,
  token_type
)
VALUES
  ('clqqpc2pr000008l3hvy63gxy','gpt-3.5-turbo-1106', 'PER_1000_TOKENS', 0.001, 'USD', 'PROMPT'),
  ('clqqpcb6d000208l3atrfbmou','gpt-3.5-turbo-1106', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clqqpdh45000008lfgrnx76cv','gpt-3.5-turbo-instruct', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clqqpdjya000108lf3s4b4c4m','gpt-3.5-turbo-instruct', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clnnuiuq6000008l4dxp43wc6', 'claude-instant-1.2', 'PER_1000_TOKENS', 0.00163, 'USD', 'PROMPT'),
  ('clnnujlmj000108l48wne4ii9', 'claude-instant-1.2', 'PER_1000_TOKENS', 0.00551, 'USD', 'COMPLETION'),
  ('clnnukutg000208l49qqt9lyr', 'claude-instant-1.1', 'PER_1000_TOKENS', 0.00163, 'USD', 'PROMPT'),
  ('clnnun3x3000408l490qz9uv0', 'claude-instant-1.1', 'PER_1000_TOKENS', 0.00551, 'USD', 'COMPLETION'),
  ('clnnuosvy000508l4gsjy2pp4', 'claude-2.0', 'PER_1000_TOKENS', 0.01102, 'USD', 'PROMPT'),
  ('clnnuqcns000608l40qaz8trt', 'claude-2.0', 'PER_1000_TOKENS', 0.03268, 'USD', 'COMPLETION'),
  ('clnnuuif8000808l4gal4fjq4', 'claude-1.0', 'PER_1000_TOKENS', 0.01102, 'USD', 'PROMPT'),
  ('clnnutptp000708l47r091vvd', 'claude-1.0', 'PER_1000_TOKENS', 0.03268, 'USD', 'COMPLETION'),
  ('clnon8riv000308mlgfr1agiv', 'text-embedding-ada-002', 'PER_1000_TOKENS', 0.0001, 'USD', 'PROMPT'),
  ('clnon9kfz000408ml1bg81o6z', 'text-embedding-ada-002', 'PER_1000_TOKENS', 0.0001, 'USD', 'COMPLETION'),
  ('clqwniv8a000d08l2frjl7mmw', 'codechat-bison-32k', 'PER_1000_CHARS', 0.0005, 'USD', 'PROMPT'),
  ('clqwnj044000e08l2dfjm5g90', 'chat-bison-32k', 'PER_1000_CHARS', 0.0005, 'USD', 'PROMPT'),
  ('clqwnj47r000f08l2a16fekls', 'chat-bison-32k', 'PER_1000_CHARS', 0.0005, 'USD', 'COMPLETION'),
  ('clqwnj863000g08l2bwxgdapm', 'codechat-bison-32k', 'PER_1000_CHARS', 0.0005, 'USD', 'COMPLETION')
ON CONFLICT (id) DO NOTHING;
;
-- migration: 20240104210051_add_model_indices
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_model_idx" ON "observations"("model");


;
-- migration: 20240104210052_add_model_indices_pricing
-- CreateIndex
CREATE INDEX CONCURRENTLY "pricings_model_name_idx" ON "pricings"("model_name");

;
-- migration: 20240105010215_add_tags_in_traces
-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

;
-- migration: 20240105170551_index_tags_in_traces
-- CreateIndex
CREATE INDEX "traces_tags_idx" ON "traces" USING GIN ("tags" array_ops);

;
-- migration: 20240106195340_drop_dataset_status
/*
  Warnings:

  - You are about to drop the column `status` on the `datasets` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "datasets" DROP COLUMN "status";

;
-- migration: 20240111152124_add_gpt_35_pricing
-- Migration to add gpt-35 spelling

INSERT INTO pricings (
  id,
  model_name, 
  pricing_unit, 
  price,
  currency,
  token_type
)
VALUES
  ('clqqpc2pr000008l3hvy63gxy1','gpt-35-turbo-1106', 'PER_1000_TOKENS', 0.001, 'USD', 'PROMPT'),
  ('clqqpcb6d000208l3atrfbmou1','gpt-35-turbo-1106', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION'),
  ('clqqpdh45000008lfgrnx76cv1','gpt-35-turbo-instruct', 'PER_1000_TOKENS', 0.0015, 'USD', 'PROMPT'),
  ('clqqpdjya000108lf3s4b4c4m1','gpt-35-turbo-instruct', 'PER_1000_TOKENS', 0.002, 'USD', 'COMPLETION')
ON CONFLICT (id) DO NOTHING;
;
-- migration: 20240117151938_traces_remove_unique_id_external
-- DropIndex
DROP INDEX "traces_project_id_external_id_key";

;
-- migration: 20240117165747_add_cost_to_observations
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "input_cost" DECIMAL(65,30),
ADD COLUMN     "output_cost" DECIMAL(65,30),
ADD COLUMN     "total_cost" DECIMAL(65,30);

;
-- migration: 20240118204639_add_models_table
-- CreateTable
CREATE TABLE "models" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT,
    "model_name" TEXT NOT NULL,
    "match_pattern" TEXT NOT NULL,
    "start_date" TIMESTAMP(3),
    "input_price" DECIMAL(65,30),
    "output_price" DECIMAL(65,30),
    "total_price" DECIMAL(65,30),
    "unit" TEXT NOT NULL DEFAULT 'TOKENS',
    "tokenizer_config" JSONB NOT NULL,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "models" ADD CONSTRAINT "models_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240118204936_add_internal_model
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "internal_model" TEXT;

;
-- migration: 20240118204937_add_observations_view
CREATE VIEW "observations_view" AS
SELECT
    o.*,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            o.input_cost
    END AS "calculated_input_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            o.output_cost
    END AS "calculated_output_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            o.total_cost
    END AS "calculated_total_cost"
FROM
    observations o
LEFT JOIN models m ON m.id = (
    SELECT
        id
    FROM
        models
    WHERE (project_id = o.project_id OR project_id IS NULL)
    AND model_name = o.internal_model
    AND (start_date < o.start_time OR start_date is NULL)
    AND o.unit::TEXT = unit
    ORDER BY
        project_id ASC, -- in postgres, NULLs are sorted first
        start_date DESC
    LIMIT 1
)

;
-- migration: 20240118235424_add_index_to_models
/*
  Warnings:

  - A unique constraint covering the columns `[project_id,model_name,start_date,unit]` on the table `models` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE INDEX "models_project_id_model_name_idx" ON "models"("project_id", "model_name");

-- CreateIndex
CREATE UNIQUE INDEX "models_project_id_model_name_start_date_unit_key" ON "models"("project_id", "model_name", "start_date", "unit");

;
-- migration: 20240119140941_add_tokenizer_id
-- AlterTable
ALTER TABLE "models" ADD COLUMN     "tokenizer_id" TEXT;

;
-- migration: 20240119164147_make_model_params_nullable
-- AlterTable
ALTER TABLE "models" ALTER COLUMN "tokenizer_config" DROP NOT NULL;

;
-- migration: 20240119164148_add_models
-- This is an empty migration.


INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  --project_id, model_name, match_pattern, start_date, input_price, output_price, total_price, unit, tokenizer_id, tokenizer_config
  --https://openai.com/pricing
  -- GPT-4 Turbo
  ('clrkvq6iq000008ju6c16gynt', NULL, 'gpt-4-turbo', '(?i)^(gpt-4-1106-preview)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-1106-preview" }'),
  ('clrkvx5gp000108juaogs54ea', NULL, 'gpt-4-turbo-vision', '(?i)^(gpt-4-vision-preview)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-vision-preview" }'),
  
  -- GPT-4
  ('clrntkjgy000f08jx79v9g1xj', NULL, 'gpt-4', '(?i)^(gpt-4)$', NULL, 0.00003, 0.00006, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4" }'),
  ('clrkwk4cc000908l537kl0rx3', NULL, 'gpt-4-0613', '(?i)^(gpt-4-0613)$', NULL, 0.00003, 0.00006, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-0613" }'),
  ('clrntkjgy000e08jx4x6uawoo', NULL, 'gpt-4-0314', '(?i)^(gpt-4-0314)$', NULL, 0.00003, 0.00006, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-0314" }'),
  
  ('clrkvyzgw000308jue4hse4j9', NULL, 'gpt-4-32k', '(?i)^(gpt-4-32k)$', NULL, 0.00006, 0.00012, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-32k" }'),
  ('clrkwk4cb000108l5hwwh3zdi', NULL, 'gpt-4-32k-0613', '(?i)^(gpt-4-32k-0613)$', NULL, 0.00006, 0.00012, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-32k-0613" }'),
  ('clrntkjgy000d08jx0p4y9h4l', NULL, 'gpt-4-32k-0314', '(?i)^(gpt-4-32k-0314)$', NULL, 0.00006, 0.00012, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-32k-0314" }'),
  
  -- GPT 3
  
  ('clrkwk4cc000a08l562uc3s9g', NULL, 'gpt-3.5-turbo-instruct', '(?i)^(gpt-)(35|3.5)(-turbo-instruct)$', NULL, 0.0000015, 0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo" }'),
  ('clrkwk4cb000408l576jl7koo', NULL, 'gpt-3.5-turbo', '(?i)^(gpt-)(35|3.5)(-turbo)$', '2023-11-06', 0.000001, 0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo" }'),
  ('clrkwk4cb000208l59yvb9yq8', NULL, 'gpt-3.5-turbo-1106', '(?i)^(gpt-)(35|3.5)(-turbo-1106)$', NULL, 0.000001, 0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-1106" }'),

  ('clrntkjgy000c08jxesb30p3f', NULL, 'gpt-3.5-turbo', '(?i)^(gpt-)(35|3.5)(-turbo)$', '2023-06-27', 0.0000015, 0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo" }'),
  ('clrkwk4cc000808l51xmk4uic', NULL, 'gpt-3.5-turbo-0613', '(?i)^(gpt-)(35|3.5)(-turbo-0613)$', NULL, 0.0000015, 0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-0613" }'),

  ('clrntkjgy000b08jx769q1bah', NULL, 'gpt-3.5-turbo', '(?i)^(gpt-)(35|3.5)(-turbo)$', NULL,  0.000002,  0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 4, "tokensPerName": -1, "tokenizerModel": "gpt-3.5-turbo" }'),
  ('clrntkjgy000a08jx4e062mr0', NULL, 'gpt-3.5-turbo-0301', '(?i)^(gpt-)(35|3.5)(-turbo-0301)$', NULL,  0.000002,  0.000002, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 4, "tokensPerName": -1, "tokenizerModel": "gpt-3.5-turbo-0301" }'),


  ('clrkwk4cb000308l5go4b6otm', NULL, 'gpt-3.5-turbo-16k', '(?i)^(gpt-)(35|3.5)(-turbo-16k)$', NULL, 0.00003, 0.00004, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-16k" }'),
  ('clrntjt89000a08jw0gcdbd5a', NULL, 'gpt-3.5-turbo-16k-0613', '(?i)^(gpt-)(35|3.5)(-turbo-16k-0613)$', NULL, 0.00003, 0.00004, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-16k-0613" }'),




  -- nothing earlier required for ada
  ('clrntjt89000908jwhvkz5crm', NULL, 'text-embedding-ada-002', '(?i)^(text-embedding-ada-002)$', '2022-12-06', NULL, NULL, 0.0000001, 'TOKENS', 'openai', NULL),
  ('clrntjt89000908jwhvkz5crg', NULL, 'text-embedding-ada-002-v2', '(?i)^(text-embedding-ada-002-v2)$', '2022-12-06', NULL, NULL, 0.0000001, 'TOKENS', 'openai', NULL),
  

  
  
  -- legacy price 2023-08-22 https://platform.openai.com/docs/deprecations/2023-07-06-gpt-and-embeddings
  ('clrntjt89000108jwcou1af71', NULL, 'text-ada-001', '(?i)^(text-ada-001)$', NULL, NULL, NULL, 0.000004, 'TOKENS', 'openai', NULL),
  ('clrntjt89000208jwawjr894q', NULL, 'text-babbage-001', '(?i)^(text-babbage-001)$', NULL, NULL, NULL, 0.0000005, 'TOKENS', 'openai', NULL),
  ('clrp1wopz000708l079w02hkc', NULL, 'text-babbage-002', '(?i)^(text-babbage-002)$', NULL, NULL, NULL, 0.0000005, 'TOKENS', 'openai', NULL),
  ('clrntjt89000308jw0jtfa4rs', NULL, 'text-curie-001', '(?i)^(text-curie-001)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', NULL),
  ('clrntjt89000408jwc2c93h6i', NULL, 'text-davinci-001', '(?i)^(text-davinci-001)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', NULL),
  ('clrntjt89000508jw192m64qi', NULL, 'text-davinci-002', '(?i)^(text-davinci-002)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', NULL),
  ('clrntjt89000608jw4m3x5s55', NULL, 'text-davinci-003', '(?i)^(text-davinci-003)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', NULL),


  -- claude
  ('clrnwbota000908jsgg9mb1ml', NULL, 'claude-instant-1', '(?i)^(claude-instant-1)$', NULL, 0.00000163, 0.00000551, NULL, 'CHARACTERS', 'claude', NULL),
  ('clrnwb41q000308jsfrac9uh6', NULL, 'claude-instant-1.2', '(?i)^(claude-instant-1.2)$', NULL, 0.00000163, 0.00000551, NULL, 'CHARACTERS', 'claude', NULL),
  ('clrnwbd1m000508js4hxu6o7n', NULL, 'claude-2.1', '(?i)^(claude-2.1)$', NULL, 0.000008, 0.000024, NULL, 'CHARACTERS', 'claude', NULL),
  ('clrnwb836000408jsallr6u11', NULL, 'claude-2.0', '(?i)^(claude-2.0)$', NULL, 0.000008, 0.000024, NULL, 'CHARACTERS', 'claude', NULL),
  ('clrnwbg2b000608jse2pp4q2d', NULL, 'claude-1.3', '(?i)^(claude-1.3)$', NULL, 0.000008, 0.000024, NULL, 'CHARACTERS', 'claude', NULL),
  ('clrnwbi9d000708jseiy44k26', NULL, 'claude-1.2', '(?i)^(claude-1.2)$', NULL, 0.000008, 0.000024, NULL, 'CHARACTERS', 'claude', NULL),
  ('clrnwblo0000808jsc1385hdp', NULL, 'claude-1.1', '(?i)^(claude-1.1)$', NULL, 0.000008, 0.000024, NULL, 'CHARACTERS', 'claude', NULL),


  -- vertex
  ('clrp1wopz000808l09nwy32xh', NULL, 'codechat-bison-32k', '(?i)^(codechat-bison-32k)$', NULL, 0.0000005, 0.0000025, NULL, 'TOKENS', 'vertex', NULL),
  ('clrp1wopz000408l05xcycki1', NULL, 'chat-bison-32k', '(?i)^(chat-bison-32k)$', NULL, 0.0000005, 0.0000025, NULL, 'TOKENS', 'vertex', NULL)




;
-- migration: 20240124140443_session_composite_key
/*
  Warnings:

  - The primary key for the `trace_sessions` table will be changed. If it partially fails, the table could be left without primary key constraint.

*/
-- DropForeignKey
ALTER TABLE "traces" DROP CONSTRAINT "traces_session_id_fkey";

-- DropIndex
DROP INDEX "trace_sessions_id_project_id_key";

-- AlterTable
ALTER TABLE "trace_sessions" DROP CONSTRAINT "trace_sessions_pkey",
ADD CONSTRAINT "trace_sessions_pkey" PRIMARY KEY ("id", "project_id");

-- AddForeignKey
ALTER TABLE "traces" ADD CONSTRAINT "traces_session_id_project_id_fkey" FOREIGN KEY ("session_id", "project_id") REFERENCES "trace_sessions"("id", "project_id") ON DELETE RESTRICT ON UPDATE CASCADE;

;
-- migration: 20240124164148_correct_models
-- This is an empty migration.

DELETE FROM models
WHERE id in ('clrntjt89000908jwhvkz5crm', 'clrntjt89000908jwhvkz5crg', 'clrntjt89000108jwcou1af71', 'clrntjt89000208jwawjr894q', 'clrntjt89000308jw0jtfa4rs', 'clrntjt89000408jwc2c93h6i', 'clrntjt89000508jw192m64qi', 'clrntjt89000608jw4m3x5s55', 'clrp1wopz000708l079w02hkc');



INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- nothing earlier required for ada
  ('clrntjt89000908jwhvkz5crm', NULL, 'text-embedding-ada-002', '(?i)^(text-embedding-ada-002)$', '2022-12-06', NULL, NULL, 0.0000001, 'TOKENS', 'openai', '{"tokenizerModel": "text-embedding-ada-002"}'),
  ('clrntjt89000908jwhvkz5crg', NULL, 'text-embedding-ada-002-v2', '(?i)^(text-embedding-ada-002-v2)$', '2022-12-06', NULL, NULL, 0.0000001, 'TOKENS', 'openai', '{"tokenizerModel": "text-embedding-ada-002"}'),
  

  
  
  -- -- legacy price 2023-08-22 https://platform.openai.com/docs/deprecations/2023-07-06-gpt-and-embeddings
  ('clrntjt89000108jwcou1af71', NULL, 'text-ada-001', '(?i)^(text-ada-001)$', NULL, NULL, NULL, 0.000004, 'TOKENS', 'openai', '{"tokenizerModel": "text-ada-001"}'),
  ('clrntjt89000208jwawjr894q', NULL, 'text-babbage-001', '(?i)^(text-babbage-001)$', NULL, NULL, NULL, 0.0000005, 'TOKENS', 'openai', '{"tokenizerModel": "text-babbage-001"}'),
  ('clrntjt89000308jw0jtfa4rs', NULL, 'text-curie-001', '(?i)^(text-curie-001)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', '{"tokenizerModel": "text-curie-001"}'),
  ('clrntjt89000408jwc2c93h6i', NULL, 'text-davinci-001', '(?i)^(text-davinci-001)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', '{"tokenizerModel": "text-davinci-001"}'),
  ('clrntjt89000508jw192m64qi', NULL, 'text-davinci-002', '(?i)^(text-davinci-002)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', '{"tokenizerModel": "text-davinci-002"}'),
  ('clrntjt89000608jw4m3x5s55', NULL, 'text-davinci-003', '(?i)^(text-davinci-003)$', NULL, NULL, NULL, 0.00002, 'TOKENS', 'openai', '{"tokenizerModel": "text-davinci-003"}'),

  ('clrs2dnql000108l46vo0gp2t', NULL, 'babbage-002', '(?i)^(babbage-002)$', NULL, 0.0000004, 0.0000016, 0.0000005, 'TOKENS', 'openai', '{"tokenizerModel": "babbage-002"}'),
  ('clrs2ds35000208l4g4b0hi3u', NULL, 'davinci-002', '(?i)^(davinci-002)$', NULL, 0.0000060, 0.0000120, 0.0000005, 'TOKENS', 'openai', '{"tokenizerModel": "davinci-002"}')





;
-- migration: 20240126184148_new_models copy
-- This is an empty migration.

DELETE FROM models
WHERE id in ('clrp1wopz000808l09nwy32xh', 'clrp1wopz000408l05xcycki1','clrs2dnql000108l46vo0gp2t', 'clrs2ds35000208l4g4b0hi3u');



INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://openai.com/blog/new-embedding-models-and-api-updates
  -- tokenizers are best guess for embedding models
  ('clruwn3pc00010al7bl611c8o', NULL, 'text-embedding-3-small', '(?i)^(text-embedding-3-small)$', NULL, NULL, NULL, 0.00000002, 'TOKENS', 'openai', '{"tokenizerModel": "text-embedding-ada-002"}'),
  ('clruwn76700020al7gp8e4g4l', NULL, 'text-embedding-ada-002-v2', '(?i)^(text-embedding-3-large)$', NULL, NULL, NULL, 0.00000013, 'TOKENS', 'openai', '{"tokenizerModel": "text-embedding-ada-002"}'),
  
  ('clruwnahl00030al7ab9rark7', NULL, 'gpt-3.5-turbo-0125', '(?i)^(gpt-)(35|3.5)(-turbo-0125)$', NULL, 0.0000005, 0.0000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo" }'),
  ('clruwnahl00040al78f1lb0at', NULL, 'gpt-3.5-turbo', '(?i)^(gpt-)(35|3.5)(-turbo)$', '2024-02-08', 0.0000005, 0.0000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo" }'),

  ('clruwnahl00050al796ck3p44', NULL, 'gpt-4-0125-preview', '(?i)^(gpt-4-0125-preview)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4" }'),
  ('clruwnahl00060al74fcfehas', NULL, 'gpt-4-turbo-preview', '(?i)^(gpt-4-turbo-preview)$', NULL, 0.00003, 0.00006, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4" }'),

  -- fix tokenizer for vertx
  ('clrp1wopz000808l09nwy32xh', NULL, 'codechat-bison-32k', '(?i)^(codechat-bison-32k)$', NULL, 0.0000005, 0.0000025, NULL, 'TOKENS', NULL, NULL),
  ('clrp1wopz000408l05xcycki1', NULL, 'chat-bison-32k', '(?i)^(chat-bison-32k)$', NULL, 0.0000005, 0.0000025, NULL, 'TOKENS', NULL, NULL),

  -- fix prices
  ('clrs2dnql000108l46vo0gp2t', NULL, 'babbage-002', '(?i)^(babbage-002)$', NULL, 0.0000004, 0.0000016, NULL, 'TOKENS', 'openai', '{"tokenizerModel": "babbage-002"}'),
  ('clrs2ds35000208l4g4b0hi3u', NULL, 'davinci-002', '(?i)^(davinci-002)$', NULL, 0.0000060, 0.0000120, NULL, 'TOKENS', 'openai', '{"tokenizerModel": "davinci-002"}')
;
-- migration: 20240130100110_usage_unit_nullable
-- AlterTable
ALTER TABLE "models" ALTER COLUMN "unit" DROP DEFAULT;

-- AlterTable
ALTER TABLE "observations" ALTER COLUMN "unit" DROP NOT NULL,
ALTER COLUMN "unit" DROP DEFAULT;

;
-- migration: 20240130160110_claude_models
-- This is an empty migration.

DELETE FROM models
WHERE id in (
  'clrnwbota000908jsgg9mb1ml',
  'clrnwb41q000308jsfrac9uh6', 
  'clrnwbd1m000508js4hxu6o7n', 
  'clrnwb836000408jsallr6u11', 
  'clrnwbg2b000608jse2pp4q2d', 
  'clrnwbi9d000708jseiy44k26',
  'clrnwblo0000808jsc1385hdp'
);



INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- nothing earlier required for ada
  ('clrnwbota000908jsgg9mb1ml', NULL, 'claude-instant-1', '(?i)^(claude-instant-1)$', NULL, 0.00000163, 0.00000551, NULL, 'TOKENS', 'claude', NULL),
  ('clrnwb41q000308jsfrac9uh6', NULL, 'claude-instant-1.2', '(?i)^(claude-instant-1.2)$', NULL, 0.00000163, 0.00000551, NULL, 'TOKENS', 'claude', NULL),
  ('clrnwbd1m000508js4hxu6o7n', NULL, 'claude-2.1', '(?i)^(claude-2.1)$', NULL, 0.000008, 0.000024, NULL, 'TOKENS', 'claude', NULL),
  ('clrnwb836000408jsallr6u11', NULL, 'claude-2.0', '(?i)^(claude-2.0)$', NULL, 0.000008, 0.000024, NULL, 'TOKENS', 'claude', NULL),
  ('clrnwbg2b000608jse2pp4q2d', NULL, 'claude-1.3', '(?i)^(claude-1.3)$', NULL, 0.000008, 0.000024, NULL, 'TOKENS', 'claude', NULL),
  ('clrnwbi9d000708jseiy44k26', NULL, 'claude-1.2', '(?i)^(claude-1.2)$', NULL, 0.000008, 0.000024, NULL, 'TOKENS', 'claude', NULL),
  ('clrnwblo0000808jsc1385hdp', NULL, 'claude-1.1', '(?i)^(claude-1.1)$', NULL, 0.000008, 0.000024, NULL, 'TOKENS', 'claude', NULL)




;
-- migration: 20240131184148_add_finetuned_and_vertex_models
DELETE FROM models
WHERE id in ('clrp1wopz000808l09nwy32xh', 'clrp1wopz000408l05xcycki1');

INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://openai.com/blog/new-embedding-models-and-api-updates
  -- https://openai.com/blog/gpt-3-5-turbo-fine-tuning-and-api-updates
  -- ft model tokens are getting counted like the base model https://github.com/openai/tiktoken/blob/db5bda9fc93b3171db6c4afea329394e6b6d31ca/tiktoken/model.py
  
  ('cls08r8sq000308jq14ae96f0', NULL, 'ft:gpt-3.5-turbo-1106', '(?i)^(ft:)(gpt-3.5-turbo-1106:)(.+)(:)(.*)(:)(.+)$', NULL, 0.000003, 0.000006, NULL, 'TOKENS', 'openai', '{"tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-1106", "tokensPerMessage": 3}'),
  ('cls08rp99000408jqepxoakjv', NULL, 'ft:gpt-3.5-turbo-0613', '(?i)^(ft:)(gpt-3.5-turbo-0613:)(.+)(:)(.*)(:)(.+)$', NULL, 0.000012, 0.000016, NULL, 'TOKENS', 'openai', '{"tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-0613", "tokensPerMessage": 3}'),
  ('cls08rv9g000508jq5p4z4nlr', NULL, 'ft:davinci-002', '(?i)^(ft:)(davinci-002:)(.+)(:)(.*)(:)(.+)$$', NULL, 0.000012, 0.000012, NULL, 'TOKENS', 'openai', '{"tokenizerModel": "davinci-002"}'),
  ('cls08s2bw000608jq57wj4un2', NULL, 'ft:babbage-002', '(?i)^(ft:)(babbage-002:)(.+)(:)(.*)(:)(.+)$$', NULL, 0.0000016, 0.0000016, NULL, 'TOKENS', 'openai', '{"tokenizerModel": "babbage-002"}'),

  -- https://cloud.google.com/vertex-ai/docs/generative-ai/pricing
  ('cls0k4lqt000008ky1o1s8wd5', NULL, 'gemini-pro', '(?i)^(gemini-pro)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0jni4t000008jk3kyy803r', NULL, 'chat-bison-32k', '(?i)^(chat-bison-32k)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0iv12d000108l251gf3038', NULL, 'chat-bison', '(?i)^(chat-bison)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0jmjt3000108l83ix86w0d', NULL, 'text-bison-32k', '(?i)^(text-bison-32k)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0juygp000308jk2a6x9my2', NULL, 'text-bison', '(?i)^(text-bison)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0jungb000208jk12gm4gk1', NULL, 'text-unicorn', '(?i)^(text-unicorn)(@[a-zA-Z0-9]+)?$', NULL, 0.0000025, 0.0000075, NULL, 'CHARACTERS', NULL, NULL),
  ('cls1nyj5q000208l33ne901d8', NULL, 'textembedding-gecko', '(?i)^(textembedding-gecko)(@[a-zA-Z0-9]+)?$', NULL, NULL, NULL, 0.0000001, 'CHARACTERS', NULL, NULL),
  ('cls1nyyjp000308l31gxy1bih', NULL, 'textembedding-gecko-multilingual', '(?i)^(textembedding-gecko-multilingual)(@[a-zA-Z0-9]+)?$', NULL, NULL, NULL, 0.0000001, 'CHARACTERS', NULL, NULL),
  ('cls1nzjt3000508l3dnwad3g0', NULL, 'code-gecko', '(?i)^(code-gecko)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls1nzwx4000608l38va7e4tv', NULL, 'code-bison', '(?i)^(code-bison)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls1o053j000708l39f8g4bgs', NULL, 'code-bison-32k', '(?i)^(code-bison-32k)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0j33v1000008joagkc4lql', NULL, 'codechat-bison-32k', '(?i)^(codechat-bison-32k)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  ('cls0jmc9v000008l8ee6r3gsd', NULL, 'codechat-bison', '(?i)^(codechat-bison)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL)
;
-- migration: 20240203184148_update_pricing
-- This is an empty migration.

DELETE FROM models
WHERE id in ('clrkwk4cb000308l5go4b6otm', 'clrntjt89000a08jw0gcdbd5a');



INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://openai.com/blog/new-embedding-models-and-api-updates
  

  -- fix prices
  ('clrkwk4cb000308l5go4b6otm', NULL, 'gpt-3.5-turbo-16k', '(?i)^(gpt-)(35|3.5)(-turbo-16k)$', NULL, 0.000003, 0.000004, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-16k" }'),
  ('clrntjt89000a08jw0gcdbd5a', NULL, 'gpt-3.5-turbo-16k-0613', '(?i)^(gpt-)(35|3.5)(-turbo-16k-0613)$', NULL, 0.000003, 0.000004, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-16k-0613" }')
;
-- migration: 20240212175433_add_audit_log_table
-- CreateTable
CREATE TABLE "audit_logs" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "user_project_role" "MembershipRole" NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_logs_project_id_idx" ON "audit_logs"("project_id");

-- CreateIndex
CREATE INDEX "audit_logs_created_at_idx" ON "audit_logs"("created_at");

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240213124148_update_openai_pricing
-- This is an empty migration.

DELETE FROM models
WHERE id in ('clruwnahl00040al78f1lb0at');



INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- according to email, gpt-3.5-turbo and gpt-3.5-turbo-16k will point to 0125 models as of 2024-02-16
  -- gpt-3.5-turbo-0125 now supports 16k token length. 16k model will point to regular 3.5 turbo model according to mail.
  ('clruwnahl00040al78f1lb0at', NULL, 'gpt-3.5-turbo', '(?i)^(gpt-)(35|3.5)(-turbo)$', '2024-02-16', 0.0000005, 0.0000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo" }'),
  ('clsk9lntu000008jwfc51bbqv', NULL, 'gpt-3.5-turbo-16k', '(?i)^(gpt-)(35|3.5)(-turbo-16k)$', '2024-02-16', 0.0000005, 0.0000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-3.5-turbo-16k" }')
;
-- migration: 20240214232619_prompts_add_indicies
-- CreateIndex
CREATE INDEX "prompts_project_id_id_idx" ON "prompts"("project_id", "id");

-- CreateIndex
CREATE INDEX "prompts_project_id_idx" ON "prompts"("project_id");

;
-- migration: 20240215224148_update_openai_pricing
-- This is an empty migration.

INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  ('clsnq07bn000008l4e46v1ll8', NULL, 'gpt-4-turbo-preview', '(?i)^(gpt-4-turbo-preview)$', '2023-11-06', 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4" }')
;
-- migration: 20240215234937_fix_observations_view
CREATE OR REPLACE VIEW "observations_view" AS
SELECT
    o.*,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            o.input_cost
    END AS "calculated_input_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            o.output_cost
    END AS "calculated_output_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            o.total_cost
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency"
FROM
    observations o
LEFT JOIN models m ON m.id = (
    SELECT
        id
    FROM
        models
    WHERE (project_id = o.project_id OR project_id IS NULL)
    AND model_name = o.internal_model
    AND (start_date < o.start_time OR start_date is NULL)
    AND o.unit::TEXT = unit
    ORDER BY
        project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
)

;
-- migration: 20240219162415_add_prompt_config
-- AlterTable
ALTER TABLE "prompts" ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}';

;
-- migration: 20240226165118_add_observations_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_project_id_start_time_type_idx" ON "observations"("project_id", "start_time", "type");

;
-- migration: 20240226182815_add_model_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "models_project_id_model_name_start_date_unit_idx" ON "models"("project_id", "model_name", "start_date", "unit");

;
-- migration: 20240226183642_add_observations_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_project_id_internal_model_start_time_unit_idx" ON "observations"("project_id", "internal_model", "start_time", "unit");

;
-- migration: 20240226202040_add_observations_trace_id_project_id_start_time_idx
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_trace_id_project_id_start_time_idx" ON "observations"("trace_id", "project_id", "start_time");

;
-- migration: 20240226202041_add_observations_trace_id_project_id_type_start_time_idx
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_trace_id_project_id_type_start_time_idx" ON "observations"("trace_id", "project_id", "type", "start_time");
;
-- migration: 20240226203642_rewrite_observations_view
CREATE OR REPLACE VIEW "observations_view" AS
SELECT
    o.*,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            o.input_cost
    END AS "calculated_input_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            o.output_cost
    END AS "calculated_output_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            o.total_cost
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency"
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE

;
-- migration: 20240227112101_index_prompt_id_in_observations
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "observations_prompt_id_idx" ON "observations"("prompt_id");

;
-- migration: 20240228103642_observations_view_cte
CREATE OR REPLACE VIEW "observations_view" AS
WITH model_ranked AS (
    SELECT
        *,
        ROW_NUMBER() OVER (
            PARTITION BY project_id, model_name, unit
            ORDER BY project_id ASC, start_date DESC NULLS LAST
        ) AS rn
        -- adds a new column to the models table ordering the rows by project_id, model_name, and unit
        -- each query should take the first row within a partition
    FROM
        models
)
SELECT
    o.*,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            o.input_cost
    END AS "calculated_input_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            o.output_cost
    END AS "calculated_output_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            o.total_cost
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency"
FROM
    observations o
LEFT JOIN model_ranked m ON
    m.rn = 1 AND
    (m.project_id = o.project_id OR m.project_id IS NULL) AND
    m.model_name = o.internal_model AND
    (m.start_date < o.start_time OR m.start_date IS NULL) AND
    o.unit::TEXT = m.unit;

;
-- migration: 20240228123642_observations_view_fix
CREATE OR REPLACE VIEW "observations_view" AS
SELECT
    o.*,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            o.input_cost
    END AS "calculated_input_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            o.output_cost
    END AS "calculated_output_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            o.total_cost
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency"
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE


-- requirements:
-- 1. The view should return all columns from the observations table
-- 2. The view should match with only one model for each observation if:
--     a. The model has the same project_id as the observation, otherwise the model without project_id. 
--     b. The model has the same model_name as the observation
--     c. The model has a start_date that is less than the observation start_time, otherwise the model without start_date
--     d. The model has the same unit as the observation
;
-- migration: 20240304123642_traces_view
CREATE VIEW trace_metrics_view AS
SELECT
    t.id,
    EXTRACT(EPOCH FROM COALESCE(MAX(o.end_time), MAX(o.start_time))) - EXTRACT(EPOCH FROM MIN(o.start_time))::double precision AS duration
FROM
    traces t
    LEFT JOIN observations o ON t.id = o.trace_id
group by t.project_id, t.id
;
-- migration: 20240304123642_traces_view_improvement
DROP VIEW trace_metrics_view;


CREATE OR REPLACE VIEW traces_view AS
WITH observations_metrics AS (
    SELECT
        trace_id,
        project_id,
        EXTRACT(EPOCH FROM COALESCE(MAX(o.end_time), MAX(o.start_time))) - EXTRACT(EPOCH FROM MIN(o.start_time))::double precision AS duration
    FROM
        observations o
    GROUP BY
        project_id, trace_id
)
SELECT
    t.*,
    o.duration
FROM
    traces t
    LEFT JOIN observations_metrics o ON t.id = o.trace_id and t.project_id = o.project_id
;
-- migration: 20240304222519_scores_add_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_timestamp_idx" ON "scores"("timestamp");

;
-- migration: 20240305095119_add_observations_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_trace_id_project_id_idx" ON "observations"("trace_id", "project_id");

;
-- migration: 20240305100713_traces_add_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "traces_id_user_id_idx" ON "traces"("id", "user_id");
;
-- migration: 20240307090110_claude_model_three
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://docs.anthropic.com/claude/docs/models-overview, https://docs.anthropic.com/claude/docs/quickstart-guide
  ('cltgy0iuw000008le3vod1hhy', NULL, 'claude-3-opus-20240229', '(?i)^(claude-3-opus-20240229)$', NULL, 0.000015, 0.000075, NULL, 'TOKENS', 'claude', NULL),
  ('cltgy0pp6000108le56se7bl3', NULL, 'claude-3-sonnet-20240229', '(?i)^(claude-3-sonnet-20240229)$', NULL, 0.000003, 0.000015, NULL, 'TOKENS', 'claude', NULL)


;
-- migration: 20240307185543_score_add_source_nullable
-- CreateEnum
CREATE TYPE "ScoreSource" AS ENUM ('API', 'REVIEW');

-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "source" "ScoreSource" NOT NULL DEFAULT 'API';

;
-- migration: 20240307185544_score_add_name_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_source_idx" ON "scores"("source");

;
-- migration: 20240307185725_backfill_score_source
-- scores previously created in the Langfuse UI all had the name 'manual-score'
UPDATE "scores"
SET "source" = 'REVIEW'::"ScoreSource"
WHERE "name" = 'manual-score';

;
-- migration: 20240312195727_score_source_drop_default
-- AlterTable
ALTER TABLE "scores" ALTER COLUMN "source" DROP DEFAULT;

;
-- migration: 20240314090110_claude_model
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://docs.anthropic.com/claude/docs/models-overview, https://docs.anthropic.com/claude/docs/quickstart-guide
  ('cltr0w45b000008k1407o9qv1', NULL, 'claude-3-haiku-20240307', '(?i)^(claude-3-haiku-20240307)$', NULL, 0.00000025, 0.00000125, NULL, 'TOKENS', 'claude', NULL)


;
-- migration: 20240325211959_remove_example_table
/*
  Warnings:

  - You are about to drop the `Example` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropTable
DROP TABLE "Example";

;
-- migration: 20240325212245_dataset_runs_add_metadata
-- AlterTable
ALTER TABLE "dataset_runs" ADD COLUMN     "metadata" JSONB;

;
-- migration: 20240326114211_dataset_run_item_bind_to_trace
-- AlterTable
ALTER TABLE "dataset_run_items" ADD COLUMN     "trace_id" TEXT,
ALTER COLUMN "observation_id" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_trace_id_fkey" FOREIGN KEY ("trace_id") REFERENCES "traces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240326114337_dataset_run_item_backfill_trace_id
-- Backfill trace_id for existing run_items based on the linked observation
UPDATE dataset_run_items
SET trace_id = observations.trace_id
FROM observations 
WHERE dataset_run_items.observation_id = observations.id;
;
-- migration: 20240326115136_dataset_run_item_traceid_non_null
/*
  Warnings:

  - Made the column `trace_id` on table `dataset_run_items` required. This step will fail if there are existing NULL values in that column.

*/
-- AlterTable
ALTER TABLE "dataset_run_items" ALTER COLUMN "trace_id" SET NOT NULL;

;
-- migration: 20240326115424_dataset_run_item_index_trace
-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_run_items_trace_id_idx" ON "dataset_run_items"("trace_id");

;
-- migration: 20240328065738_dataset_item_input_nullable
-- AlterTable
ALTER TABLE "dataset_items" ALTER COLUMN "input" DROP NOT NULL;

;
-- migration: 20240404203640_dataset_item_source_trace_id
-- AlterTable
ALTER TABLE "dataset_items" ADD COLUMN     "source_trace_id" TEXT;

-- AddForeignKey
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_source_trace_id_fkey" FOREIGN KEY ("source_trace_id") REFERENCES "traces"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20240404210315_dataset_add_descriptions
-- AlterTable
ALTER TABLE "dataset_runs" ADD COLUMN     "description" TEXT;

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "description" TEXT;

;
-- migration: 20240404232317_dataset_items_backfill_source_trace_id
-- Backfill source_trace_id for existing dataset_items based on the linked source_observation_id
UPDATE dataset_items
SET source_trace_id = observations.trace_id
FROM observations
WHERE dataset_items.source_observation_id = observations.id
  AND dataset_items.source_observation_id IS NOT NULL
  AND dataset_items.source_trace_id IS NULL
;
-- migration: 20240405124810_prompt_to_json
BEGIN;

ALTER TABLE prompts
ADD COLUMN json_prompt JSONB;

UPDATE prompts
SET json_prompt = to_json(prompt::text)::json;

ALTER TABLE prompts
DROP COLUMN prompt;

ALTER TABLE prompts
RENAME COLUMN json_prompt TO prompt;

ALTER TABLE prompts
ALTER COLUMN prompt SET NOT NULL;

ALTER TABLE prompts
ADD COLUMN type TEXT NOT NULL DEFAULT 'text';

COMMIT;

;
-- migration: 20240408133037_add_objects_for_evals
-- CreateEnum
CREATE TYPE "JobType" AS ENUM ('EVAL');

-- CreateEnum
CREATE TYPE "JobExecutionStatus" AS ENUM ('COMPLETED', 'ERROR', 'PENDING', 'CANCELLED');

-- AlterEnum
ALTER TYPE "ScoreSource" ADD VALUE 'EVAL';

-- CreateTable
CREATE TABLE "eval_templates" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "model_params" JSONB NOT NULL,
    "vars" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "output_schema" JSONB NOT NULL,

    CONSTRAINT "eval_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_configurations" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "job_type" "JobType" NOT NULL,
    "eval_template_id" TEXT,
    "score_name" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "target_object" TEXT NOT NULL,
    "variable_mapping" JSONB NOT NULL,
    "sampling" DECIMAL(65,30) NOT NULL,
    "delay" INTEGER NOT NULL,

    CONSTRAINT "job_configurations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_executions" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "job_configuration_id" TEXT NOT NULL,
    "status" "JobExecutionStatus" NOT NULL,
    "start_time" TIMESTAMP(3),
    "end_time" TIMESTAMP(3),
    "error" TEXT,
    "job_input_trace_id" TEXT,
    "job_output_score_id" TEXT,

    CONSTRAINT "job_executions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "eval_templates_project_id_id_idx" ON "eval_templates"("project_id", "id");

-- CreateIndex
CREATE INDEX "eval_templates_project_id_idx" ON "eval_templates"("project_id");

-- CreateIndex
CREATE UNIQUE INDEX "eval_templates_project_id_name_version_key" ON "eval_templates"("project_id", "name", "version");

-- CreateIndex
CREATE INDEX "job_configurations_project_id_id_idx" ON "job_configurations"("project_id", "id");

-- CreateIndex
CREATE INDEX "job_configurations_project_id_idx" ON "job_configurations"("project_id");

-- CreateIndex
CREATE INDEX "job_executions_project_id_id_idx" ON "job_executions"("project_id", "id");

-- CreateIndex
CREATE INDEX "job_executions_project_id_idx" ON "job_executions"("project_id");

-- AddForeignKey
ALTER TABLE "eval_templates" ADD CONSTRAINT "eval_templates_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_configurations" ADD CONSTRAINT "job_configurations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_configurations" ADD CONSTRAINT "job_configurations_eval_template_id_fkey" FOREIGN KEY ("eval_template_id") REFERENCES "eval_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_job_configuration_id_fkey" FOREIGN KEY ("job_configuration_id") REFERENCES "job_configurations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_job_input_trace_id_fkey" FOREIGN KEY ("job_input_trace_id") REFERENCES "traces"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_job_output_score_id_fkey" FOREIGN KEY ("job_output_score_id") REFERENCES "scores"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20240408134328_prompt_table_add_tags
-- AlterTable
ALTER TABLE "prompts" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

;
-- migration: 20240408134330_prompt_table_add_index_to_tags
-- CreateIndex
CREATE INDEX CONCURRENTLY "prompts_tags_idx" ON "prompts" USING GIN ("tags" array_ops);

;
-- migration: 20240411134330_model_updates
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://ai.google.dev/models/gemini#model-variations
  -- https://cloud.google.com/vertex-ai/generative-ai/pricing
  ('cluv2sjeo000008ih0fv23hi0', NULL, 'gemini-1.0-pro-latest', '(?i)^(gemini-1.0-pro-latest)(@[a-zA-Z0-9]+)?$', NULL, 0.00000025, 0.0000005, NULL, 'CHARACTERS', NULL, NULL),
  -- stable versions priced differently
  -- https://developers.googleblog.com/2024/02/gemini-15-available-for-private-preview-in-google-ai-studio.html
  ('cluv2subq000108ih2mlrga6a', NULL, 'gemini-1.0-pro', '(?i)^(gemini-1.0-pro)(@[a-zA-Z0-9]+)?$', '2024-02-15', 0.000000125, 0.000000375, NULL, 'CHARACTERS', NULL, NULL),
  ('cluv2sx04000208ihbek75lsz', NULL, 'gemini-1.0-pro-001', '(?i)^(gemini-1.0-pro-001)(@[a-zA-Z0-9]+)?$', '2024-02-15', 0.000000125, 0.000000375, NULL, 'CHARACTERS', NULL, NULL),
  ('cluv2szw0000308ihch3n79x7', NULL, 'gemini-pro', '(?i)^(gemini-pro)(@[a-zA-Z0-9]+)?$', '2024-02-15', 0.000000125, 0.000000375, NULL, 'CHARACTERS', NULL, NULL),

  ('cluv2t2x0000408ihfytl45l1', NULL, 'gemini-1.5-pro-latest', '(?i)^(gemini-1.5-pro-latest)(@[a-zA-Z0-9]+)?$', NULL, 0.0000025, 0.0000075, NULL, 'CHARACTERS', NULL, NULL),

  -- https://platform.openai.com/docs/models/continuous-model-upgrades
  ('cluv2t5k3000508ih5kve9zag', NULL, 'gpt-4-turbo-2024-04-09', '(?i)^(gpt-4-turbo-2024-04-09)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-1106-preview" }')


  
;
-- migration: 20240411194142_update_job_config_status
-- CreateEnum
CREATE TYPE "JobConfigState" AS ENUM ('ACTIVE', 'INACTIVE');

-- AlterTable
ALTER TABLE "job_configurations" ADD COLUMN     "status" "JobConfigState" NOT NULL DEFAULT 'ACTIVE';

;
-- migration: 20240411224142_update_models
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://platform.openai.com/docs/models/continuous-model-upgrades
  ('cluvpl4ls000008l6h2gx3i07', NULL, 'gpt-4-turbo', '(?i)^(gpt-4-turbo)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-1106-preview" }')
;
-- migration: 20240414203636_ee_add_sso_configs
-- CreateTable
CREATE TABLE "sso_configs" (
    "domain" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "auth_provider" TEXT NOT NULL,
    "auth_config" JSONB,

    CONSTRAINT "sso_configs_pkey" PRIMARY KEY ("domain")
);

;
-- migration: 20240415235737_index_models_model_name
-- CreateIndex
CREATE INDEX CONCURRENTLY "models_model_name_idx" ON "models"("model_name");

;
-- migration: 20240416173813_add_internal_model_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_internal_model_idx" ON "observations"("internal_model");

;
-- migration: 20240417102742_metadata_on_dataset_and_dataset_item
-- AlterTable
ALTER TABLE "dataset_items" ADD COLUMN     "metadata" JSONB;

-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "metadata" JSONB;

;
-- migration: 20240419152924_posthog_integration_settings
-- CreateTable
CREATE TABLE "posthog_integrations" (
    "project_id" TEXT NOT NULL,
    "encrypted_posthog_api_key" TEXT NOT NULL,
    "posthog_host_name" TEXT NOT NULL,
    "last_sync_at" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL,

    CONSTRAINT "posthog_integrations_pkey" PRIMARY KEY ("project_id")
);

-- CreateIndex
CREATE INDEX "posthog_integrations_project_id_idx" ON "posthog_integrations"("project_id");

-- AddForeignKey
ALTER TABLE "posthog_integrations" ADD CONSTRAINT "posthog_integrations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240420134232_posthog_integration_created_at
-- AlterTable
ALTER TABLE "posthog_integrations" ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20240423174013_update_models
DELETE FROM models WHERE id = 'cluv2t5k3000508ih5kve9zag';
DELETE FROM models WHERE id = 'clrkvq6iq000008ju6c16gynt';

INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- updating tokenizer model to gpt-4-turbo-2024-04-09
  ('cluv2t5k3000508ih5kve9zag', NULL, 'gpt-4-turbo-2024-04-09', '(?i)^(gpt-4-turbo-2024-04-09)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-turbo-2024-04-09" }'),
  
  -- update gpt-4-1106-preview naming replacing gpt-4-turbo
  ('clrkvq6iq000008ju6c16gynt', NULL, 'gpt-4-1106-preview', '(?i)^(gpt-4-1106-preview)$', NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-1106-preview" }'),
  
  -- apparently azure supports gpt-4-preview
  ('clv2o2x0p000008jsf9afceau', NULL, ' gpt-4-preview', '(?i)^(gpt-4-preview)$',  NULL, 0.00001, 0.00003, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4-turbo-preview" }')
  
;
-- migration: 20240423192655_add_llm_api_keys
-- CreateTable
CREATE TABLE "llm_api_keys" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider" TEXT NOT NULL,
    "display_secret_key" TEXT NOT NULL,
    "secret_key" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,

    CONSTRAINT "llm_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "llm_api_keys_id_key" ON "llm_api_keys"("id");

-- CreateIndex
CREATE INDEX "llm_api_keys_project_id_provider_idx" ON "llm_api_keys"("project_id", "provider");

-- CreateIndex
CREATE UNIQUE INDEX "llm_api_keys_project_id_provider_key" ON "llm_api_keys"("project_id", "provider");

-- AddForeignKey
ALTER TABLE "llm_api_keys" ADD CONSTRAINT "llm_api_keys_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240424150909_add_job_execution_index
-- CreateIndex
CREATE INDEX "job_executions_project_id_status_idx" ON "job_executions"("project_id", "status");

;
-- migration: 20240429124411_add_prompt_version_labels
BEGIN;

-- Step 1: Alter the 'prompts' table to add the 'labels' column
ALTER TABLE prompts
ADD COLUMN labels TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Step 2: Update the 'labels' column to include 'production' for active prompts
UPDATE prompts
SET labels = array_append(labels, 'production')
WHERE is_active = TRUE;

-- Step 3: Drop the required constraint on 'is_active' column.
ALTER TABLE prompts
ALTER COLUMN is_active DROP NOT NULL;

COMMIT;
;
-- migration: 20240429194411_add_latest_prompt_tag
UPDATE
	prompts
SET
	labels = array_append(labels, 'latest')
WHERE
	id = (
		SELECT
			id
		FROM
			prompts AS p2
		WHERE
			p2.name = prompts.name
		ORDER BY
			created_at DESC
		LIMIT 1);
;
-- migration: 20240503125742_traces_add_createdat_updatedat
-- AlterTable
ALTER TABLE "traces" ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20240503130335_traces_index_created_at
-- CreateIndex

CREATE INDEX CONCURRENTLY "traces_created_at_idx" ON "traces"("created_at");

;
-- migration: 20240503130520_traces_index_updated_at
-- CreateIndex

CREATE INDEX CONCURRENTLY "traces_updated_at_idx" ON "traces"("updated_at");

;
-- migration: 20240508132621_scores_add_project_id
-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "project_id" TEXT;

;
-- migration: 20240508132735_scores_add_projectid_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_project_id_idx" ON "scores"("project_id");

;
-- migration: 20240508132736_scores_backfill_project_id
-- Backfill project_id on existing scores based on linked trace_id
UPDATE scores
SET project_id = traces.project_id
FROM traces 
WHERE scores.trace_id = traces.id AND scores.project_id IS NULL;

;
-- migration: 20240512151529_rename_memberships_to_project_memberships
-- Rename table, will cause a downtime as it needs to be locked and synced with TRPC API
ALTER TABLE "memberships"
RENAME TO "project_memberships";

-- AlterTable
ALTER TABLE "project_memberships" RENAME CONSTRAINT "memberships_pkey" TO "project_memberships_pkey";

-- RenameForeignKey
ALTER TABLE "project_memberships" RENAME CONSTRAINT "memberships_project_id_fkey" TO "project_memberships_project_id_fkey";

-- RenameForeignKey
ALTER TABLE "project_memberships" RENAME CONSTRAINT "memberships_user_id_fkey" TO "project_memberships_user_id_fkey";

-- RenameIndex
ALTER INDEX "memberships_user_id_idx" RENAME TO "project_memberships_user_id_idx";

;
-- migration: 20240512155020_rename_enum_membership_role_to_project_role
-- Goal: Rename the enum `MembershipRole` to `ProjectRole` and update all tables that use it

-- Create a new Enum
CREATE TYPE "ProjectRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER');

-- Add a temporary column to tables (for each table)
ALTER TABLE "audit_logs" ADD COLUMN "user_project_role_temp" text;
ALTER TABLE "membership_invitations" ADD COLUMN "role_temp" text;
ALTER TABLE "project_memberships" ADD COLUMN "role_temp" text;

-- Copy data over to temporary columns (for each table)
UPDATE "audit_logs" SET "user_project_role_temp" = "user_project_role"::text;
UPDATE "membership_invitations" SET "role_temp" = "role"::text;
UPDATE "project_memberships" SET "role_temp" = "role"::text;

-- Drop old columns
ALTER TABLE "audit_logs" DROP COLUMN "user_project_role";
ALTER TABLE "membership_invitations" DROP COLUMN "role";
ALTER TABLE "project_memberships" DROP COLUMN "role";

-- Rename temporary columns to old column names
ALTER TABLE "audit_logs" RENAME COLUMN "user_project_role_temp" TO "user_project_role";
ALTER TABLE "membership_invitations" RENAME COLUMN "role_temp" TO "role";
ALTER TABLE "project_memberships" RENAME COLUMN "role_temp" TO "role";

-- Convert the text columns to enum columns (for each table)
ALTER TABLE "audit_logs" ALTER COLUMN "user_project_role" TYPE "ProjectRole" USING "user_project_role"::"ProjectRole";
ALTER TABLE "membership_invitations" ALTER COLUMN "role" TYPE "ProjectRole" USING "role"::"ProjectRole";
ALTER TABLE "project_memberships" ALTER COLUMN "role" TYPE "ProjectRole" USING "role"::"ProjectRole";

-- Make the columns NOT NULL (for each table)
ALTER TABLE "audit_logs" ALTER COLUMN "user_project_role" SET NOT NULL;
ALTER TABLE "membership_invitations" ALTER COLUMN "role" SET NOT NULL;
ALTER TABLE "project_memberships" ALTER COLUMN "role" SET NOT NULL;

-- Now finally, you can drop your old enum
DROP TYPE "MembershipRole";
;
-- migration: 20240512155021_add_pricing_gpt4o
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- gpt-4o
  ('b9854a5c92dc496b997d99d20', NULL, 'gpt-4o', '(?i)^(gpt-4o)$', NULL, 0.000005, 0.000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4o" }'),
  
  -- gpt-4o-2024-05-13
  ('b9854a5c92dc496b997d99d21', NULL, 'gpt-4o-2024-05-13', '(?i)^(gpt-4o-2024-05-13)$', NULL, 0.000005, 0.000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4o-2024-05-13" }')
  
;
-- migration: 20240512155021_scores_drop_fk_on_traces_and_observations
-- DropForeignKey
ALTER TABLE "scores" DROP CONSTRAINT "scores_observation_id_fkey";

-- DropForeignKey
ALTER TABLE "scores" DROP CONSTRAINT "scores_trace_id_fkey";

;
-- migration: 20240512155022_scores_non_null_and_add_fk_project_id
/*
  Warnings:

  - Made the column `project_id` on table `scores` required. This step will fail if there are existing NULL values in that column.

*/
-- AlterTable
ALTER TABLE "scores" ALTER COLUMN "project_id" SET NOT NULL;

-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240513082203_scores_unique_id_and_projectid_instead_of_id_and_traceid
/*
  Warnings:

  - A unique constraint covering the columns `[id,project_id]` on the table `scores` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "scores_id_trace_id_key";

;
-- migration: 20240513082204_scores_unique_id_and_projectid_instead_of_id_and_traceid_index
/*
  Warnings:

  - A unique constraint covering the columns `[id,project_id]` on the table `scores` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE UNIQUE INDEX CONCURRENTLY "scores_id_project_id_key" ON "scores"("id", "project_id");

;
-- migration: 20240513082205_observations_view_add_time_to_first_token
CREATE OR REPLACE VIEW "observations_view" AS
SELECT
    o.*,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            o.input_cost
    END AS "calculated_input_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            o.output_cost
    END AS "calculated_output_cost",
    CASE 
        WHEN o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            o.total_cost
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency",
    CASE WHEN o.completion_start_time IS NOT NULL AND o.start_time IS NOT NULL THEN EXTRACT(EPOCH FROM (completion_start_time - start_time))::double precision ELSE NULL END as "time_to_first_token"
    
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE


-- requirements:
-- 1. The view should return all columns from the observations table
-- 2. The view should match with only one model for each observation if:
--     a. The model has the same project_id as the observation, otherwise the model without project_id. 
--     b. The model has the same model_name as the observation
--     c. The model has a start_date that is less than the observation start_time, otherwise the model without start_date
--     d. The model has the same unit as the observation
;
-- migration: 20240522081254_scores_add_author_user_id
-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "author_user_id" TEXT;

;
-- migration: 20240522095738_scores_add_author_user_id_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_author_user_id_idx" ON "scores"("author_user_id");

;
-- migration: 20240523142425_score_config_add_table
-- CreateEnum
CREATE TYPE "ScoreDataType" AS ENUM ('CATEGORICAL', 'NUMERIC');

-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "config_id" TEXT,
ADD COLUMN     "data_type" "ScoreDataType" NOT NULL DEFAULT 'NUMERIC',
ADD COLUMN     "string_value" TEXT;

-- CreateTable
CREATE TABLE "score_configs" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "data_type" "ScoreDataType" NOT NULL,
    "is_archived" BOOLEAN NOT NULL DEFAULT false,
    "min_value" DOUBLE PRECISION,
    "max_value" DOUBLE PRECISION,
    "categories" JSONB,
    "description" TEXT,

    CONSTRAINT "score_configs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "score_configs_data_type_idx" ON "score_configs"("data_type");

-- CreateIndex
CREATE INDEX "score_configs_is_archived_idx" ON "score_configs"("is_archived");

-- CreateIndex
CREATE INDEX "score_configs_project_id_idx" ON "score_configs"("project_id");

-- CreateIndex
CREATE INDEX "score_configs_categories_idx" ON "score_configs"("categories");

-- CreateIndex
CREATE UNIQUE INDEX "score_configs_id_project_id_key" ON "score_configs"("id", "project_id");

-- AddForeignKey
ALTER TABLE "score_configs" ADD CONSTRAINT "score_configs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240523142524_scores_add_config_id_idx
-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_config_id_idx" ON "scores"("config_id");

;
-- migration: 20240523142610_scores_add_fk_scores_config_id
-- AddForeignKey
ALTER TABLE "scores" ADD CONSTRAINT "scores_config_id_fkey" FOREIGN KEY ("config_id") REFERENCES "score_configs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20240524154058_scores_source_enum_add_annotation
-- AlterEnum
ALTER TYPE "ScoreSource" ADD VALUE 'ANNOTATION';

;
-- migration: 20240524156058_scores_source_backfill_annotation_for_review
-- Backfill the scores source for 'REVIEW' to be 'ANNOTATION'
UPDATE "scores"
SET "source" = 'ANNOTATION'::"ScoreSource"
WHERE "source" = 'REVIEW'::"ScoreSource";

;
-- migration: 20240524165931_scores_source_enum_drop_review
/*
  Warnings:

  - The values [REVIEW] on the enum `ScoreSource` will be removed. If these variants are still used in the database, this will fail.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "ScoreSource_new" AS ENUM ('ANNOTATION', 'API', 'EVAL');
ALTER TABLE "scores" ALTER COLUMN "source" TYPE "ScoreSource_new" USING ("source"::text::"ScoreSource_new");
ALTER TYPE "ScoreSource" RENAME TO "ScoreSource_old";
ALTER TYPE "ScoreSource_new" RENAME TO "ScoreSource";
DROP TYPE "ScoreSource_old";
COMMIT;

;
-- migration: 20240524190433_job_executions_add_fk_index_config_id
-- CreateIndex
CREATE INDEX CONCURRENTLY "job_executions_job_configuration_id_idx" ON "job_executions"("job_configuration_id");

;
-- migration: 20240524190434_job_executions_add_fk_index_score_id
-- CreateIndex
CREATE INDEX CONCURRENTLY "job_executions_job_output_score_id_idx" ON "job_executions"("job_output_score_id");

;
-- migration: 20240524190435_job_executions_add_fk_index_trace_id
-- CreateIndex
CREATE INDEX CONCURRENTLY "job_executions_job_input_trace_id_idx" ON "job_executions"("job_input_trace_id");

;
-- migration: 20240524190436_job_executions_index_created_at
-- CreateIndex
CREATE INDEX CONCURRENTLY "job_executions_created_at_idx" ON "job_executions"("created_at");

;
-- migration: 20240528214726_add_cursor_new_columns_observations
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20240528214727_add_cursor_new_columns_scores

-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

;
-- migration: 20240528214728_add_cursor_index_01
-- CreateIndex
CREATE INDEX CONCURRENTLY "audit_logs_updated_at_idx" ON "audit_logs"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_02

-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_items_created_at_idx" ON "dataset_items"("created_at");

;
-- migration: 20240528214728_add_cursor_index_03

-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_items_updated_at_idx" ON "dataset_items"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_04

-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_run_items_created_at_idx" ON "dataset_run_items"("created_at");

;
-- migration: 20240528214728_add_cursor_index_05

-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_run_items_updated_at_idx" ON "dataset_run_items"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_06

-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_runs_created_at_idx" ON "dataset_runs"("created_at");

;
-- migration: 20240528214728_add_cursor_index_07

-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_runs_updated_at_idx" ON "dataset_runs"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_08

-- CreateIndex
CREATE INDEX CONCURRENTLY "datasets_created_at_idx" ON "datasets"("created_at");

;
-- migration: 20240528214728_add_cursor_index_09

-- CreateIndex
CREATE INDEX CONCURRENTLY "datasets_updated_at_idx" ON "datasets"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_10

-- CreateIndex
CREATE INDEX CONCURRENTLY "job_executions_updated_at_idx" ON "job_executions"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_11

-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_updated_at_idx" ON "observations"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_12

-- CreateIndex
CREATE INDEX CONCURRENTLY "prompts_created_at_idx" ON "prompts"("created_at");

;
-- migration: 20240528214728_add_cursor_index_13

-- CreateIndex
CREATE INDEX CONCURRENTLY "prompts_updated_at_idx" ON "prompts"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_14

-- CreateIndex
CREATE INDEX CONCURRENTLY "score_configs_created_at_idx" ON "score_configs"("created_at");

;
-- migration: 20240528214728_add_cursor_index_15

-- CreateIndex
CREATE INDEX CONCURRENTLY "score_configs_updated_at_idx" ON "score_configs"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_16

-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_created_at_idx" ON "scores"("created_at");

;
-- migration: 20240528214728_add_cursor_index_17

-- CreateIndex
CREATE INDEX CONCURRENTLY "scores_updated_at_idx" ON "scores"("updated_at");

;
-- migration: 20240528214728_add_cursor_index_18

-- CreateIndex
CREATE INDEX CONCURRENTLY "trace_sessions_updated_at_idx" ON "trace_sessions"("updated_at");

;
-- migration: 20240603212024_dataset_items_add_index_source_trace_id
-- CreateIndex
CREATE INDEX CONCURRENTLY "dataset_items_source_trace_id_idx" ON "dataset_items" USING HASH ("source_trace_id");

;
-- migration: 20240604133338_scores_add_index_name
-- CreateIndex
CREATE INDEX "scores_project_id_name_idx" ON "scores"("project_id", "name");

;
-- migration: 20240604133339_score_data_type_add_boolean
-- AlterEnum
ALTER TYPE "ScoreDataType" ADD VALUE 'BOOLEAN';

;
-- migration: 20240606093356_drop_unused_pricings_table
/*
  Warnings:

  - You are about to drop the `pricings` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropTable
DROP TABLE "pricings";

-- DropEnum
DROP TYPE "PricingUnit";

-- DropEnum
DROP TYPE "TokenType";

;
-- migration: 20240606133011_remove_trace_fkey_datasetrunitems
-- DropForeignKey
ALTER TABLE "dataset_run_items" DROP CONSTRAINT "dataset_run_items_trace_id_fkey";
ALTER TABLE "dataset_run_items" DROP CONSTRAINT "dataset_run_items_observation_id_fkey";

;
-- migration: 20240607090858_pricings_add_latest_gemini_models
-- does not include pricing yet, will be added as soon as it is calculated at ingestion time

-- remove model if added by faulty migration, context: https://github.com/langfuse/langfuse/issues/2266
DELETE FROM models WHERE id in ('clx30djsn0000w9mzebiv41we', 'clx30hkrx0000w9mz7lqi0ial');

INSERT INTO "models" ("id", "model_name", "match_pattern", "unit") VALUES ('clx30djsn0000w9mzebiv41we', 'gemini-1.5-flash', '(?i)^(gemini-1.5-flash)(@[a-zA-Z0-9]+)?$', 'CHARACTERS');

INSERT INTO "models" ("id", "model_name", "match_pattern", "unit") VALUES ('clx30hkrx0000w9mz7lqi0ial', 'gemini-1.5-pro', '(?i)^(gemini-1.5-pro)(@[a-zA-Z0-9]+)?$', 'CHARACTERS');
;
-- migration: 20240607212419_model_price_anthropic_via_google_vertex
-- Google Vertex uses @ to separate model name and version

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-haiku(-|@)?20240307)$' WHERE "id" = 'cltr0w45b000008k1407o9qv1';

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-opus(-|@)?20240229)$' WHERE "id" = 'cltgy0iuw000008le3vod1hhy';

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-sonnet(-|@)?20240229)$' WHERE "id" = 'cltgy0pp6000108le56se7bl3';
;
-- migration: 20240611105521_llm_api_keys_custom_endpoints
BEGIN;

  ALTER TABLE "llm_api_keys" 
    ADD COLUMN "base_url" TEXT,
    ADD COLUMN "adapter" TEXT,
    ADD COLUMN "custom_models" TEXT[] NOT NULL DEFAULT '{}'::TEXT[],
    ADD COLUMN "with_default_models" BOOLEAN NOT NULL DEFAULT true;

  UPDATE "llm_api_keys"
    SET "adapter" = "provider";

  ALTER TABLE "llm_api_keys" 
    ALTER COLUMN "adapter" SET NOT NULL;

  ALTER TABLE "eval_templates"
    ADD COLUMN "provider" TEXT;
  
  UPDATE "eval_templates"
    SET "provider" = 'openai';
  
  ALTER TABLE "eval_templates"
    ALTER COLUMN "provider" SET NOT NULL;

COMMIT;
;
-- migration: 20240611113517_backfill_manual_score_configs
-- Create manual-score config for any project with manual scores and link config_id to scores
BEGIN;
WITH project_configs AS (
INSERT INTO score_configs (id,
		project_id,
		name,
		data_type,
		is_archived,
		min_value,
		max_value,
		description)
SELECT
	md5(random()::text || clock_timestamp()::text || s.project_id::text)::uuid AS id,
	s.project_id,
	'manual-score',
	'NUMERIC',
	FALSE,
	- 1,
	1,
	'Langfuse legacy annotation score.'
FROM ( SELECT DISTINCT
		project_id
	FROM
		scores
	WHERE
		name = 'manual-score'
		AND config_id IS NULL
		AND source = 'ANNOTATION') s
WHERE
	NOT EXISTS (
		SELECT
			1
		FROM
			score_configs sc
		WHERE
			sc.name = 'manual-score'
			AND sc.project_id = s.project_id)
	RETURNING
		id,
		project_id
)
UPDATE
	scores
SET
	config_id = pc.id
FROM
	project_configs pc
WHERE
	scores.project_id = pc.project_id
	AND scores.name = 'manual-score';
COMMIT;
;
-- migration: 20240612101858_add_index_observations_project_id_prompt_id
-- CreateIndex
CREATE INDEX CONCURRENTLY "observations_project_id_prompt_id_idx" ON "observations"("project_id", "prompt_id");

;
-- migration: 20240617094803_observations_remove_prompt_fk_constraint
-- DropForeignKey
ALTER TABLE "observations" DROP CONSTRAINT "observations_prompt_id_fkey";

;
-- migration: 20240618134129_add_batch_exports_table
-- CreateTable
CREATE TABLE "batch_exports" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "finished_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "format" TEXT NOT NULL,
    "url" TEXT,
    "log" TEXT,

    CONSTRAINT "batch_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "batch_exports_project_id_user_id_idx" ON "batch_exports"("project_id", "user_id");

-- CreateIndex
CREATE INDEX "batch_exports_status_idx" ON "batch_exports"("status");

-- AddForeignKey
ALTER TABLE "batch_exports" ADD CONSTRAINT "batch_exports_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240618164950_drop_observations_parent_observation_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "observations_parent_observation_id_idx";

;
-- migration: 20240618164951_drop_observations_updated_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "observations_updated_at_idx";

;
-- migration: 20240618164952_drop_scores_updated_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "scores_updated_at_idx";

;
-- migration: 20240618164953_drop_traces_external_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "traces_external_id_idx";

;
-- migration: 20240618164954_drop_traces_release_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "traces_release_idx";

;
-- migration: 20240618164955_drop_traces_updated_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "traces_updated_at_idx";

;
-- migration: 20240618164956_create_traces_project_id_timestamp_idx
-- CreateIndex
CREATE INDEX CONCURRENTLY "traces_project_id_timestamp_idx" ON "traces"("project_id", "timestamp");

;
-- migration: 20240624133412_models_add_anthropic_3_5_sonnet
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id
)
VALUES
  -- add 3.5 sonnet model
  ('clxt0n0m60000pumz1j5b7zsf', NULL, 'claude-3-5-sonnet-20240620', '(?i)^(claude-3-5-sonnet(-|@)?20240620)$', NULL, 0.000003, 0.000015, NULL, 'TOKENS', 'claude')
;
-- migration: 20240625103957_observations_add_calculated_cost_columns
-- AlterTable
ALTER TABLE "observations" ADD COLUMN     "calculated_input_cost" DECIMAL(65,30),
ADD COLUMN     "calculated_output_cost" DECIMAL(65,30),
ADD COLUMN     "calculated_total_cost" DECIMAL(65,30),
ADD COLUMN     "internal_model_id" TEXT;

;
-- migration: 20240625103958_fix_model_match_gpt4_vision
/*
Previously, the pattern did not allow for model specifications like "1106" or any other 4-digit block. 
This led to missing models on the generation-update call where the exact model name that was used was provided (including the 4-digit block).
The new pattern allows for:

- "gpt-4-vision-preview" as set on generation-create
- "gpt-4-1106-vision-preview" as set on generation-update

*/

UPDATE
	"models"
SET
	"match_pattern" = '(?i)^(gpt-4(-\d{4})?-vision-preview)$'
WHERE
	"id" = 'clrkvx5gp000108juaogs54ea'
	AND "model_name" = 'gpt-4-turbo-vision';
;
-- migration: 20240703214747_models_anthropic_aws_bedrock
-- Add AWS Bedrock model names for Anthropic models

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-haiku-20240307|anthropic\.claude-3-haiku-20240307-v1:0|claude-3-haiku@20240307)$' WHERE "id" = 'cltr0w45b000008k1407o9qv1';

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-sonnet-20240229|anthropic\.claude-3-sonnet-20240229-v1:0|claude-3-sonnet@20240229)$' WHERE "id" = 'cltgy0pp6000108le56se7bl3';

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-opus-20240229|anthropic\.claude-3-opus-20240229-v1:0|claude-3-opus@20240229)$' WHERE "id" = 'cltgy0iuw000008le3vod1hhy';

UPDATE "models" SET "match_pattern" = '(?i)^(claude-3-5-sonnet-20240620|anthropic\.claude-3-5-sonnet-20240620-v1:0|claude-3-5-sonnet@20240620)$' WHERE "id" = 'clxt0n0m60000pumz1j5b7zsf';

;
-- migration: 20240704103900_observations_view_read_from_calculated
DROP VIEW IF EXISTS "observations_view"; -- Drop view as column was added in 20240528214726_add_cursor_new_columns_observations and update view must have same columns
CREATE VIEW "observations_view" AS -- Specify the columns that should be returned in the view, as calculated columns are added but exist in the observations table already
SELECT
    o.id,
    o.name,
    o.start_time,
    o.end_time,
    o.parent_observation_id,
    o.type,
    o.trace_id,
    o.metadata,
    o.model,
    o."modelParameters",
    o.input,
    o.output,
    o.level,
    o.status_message,
    o.completion_start_time,
    o.completion_tokens,
    o.prompt_tokens,
    o.total_tokens,
    o.version,
    o.project_id,
    o.created_at,
    o.unit,
    o.prompt_id,
    o.input_cost,
    o.output_cost,
    o.total_cost,
    o.internal_model,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.calculated_input_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            COALESCE(o.calculated_input_cost, o.input_cost)
    END AS "calculated_input_cost",
    CASE 
        WHEN o.calculated_output_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            COALESCE(o.calculated_output_cost, o.output_cost)
    END AS "calculated_output_cost",
    CASE 
        WHEN o.calculated_total_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            COALESCE(o.calculated_total_cost, o.total_cost)
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency",
    CASE WHEN o.completion_start_time IS NOT NULL AND o.start_time IS NOT NULL THEN EXTRACT(EPOCH FROM (completion_start_time - start_time))::double precision ELSE NULL END as "time_to_first_token"
    
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE


-- requirements:
-- 1. The view should return all columns from the observations table
-- 2. The view should match with only one model for each observation if:
--     a. The model has the same project_id as the observation, otherwise the model without project_id. 
--     b. The model has the same model_name as the observation
--     c. The model has a start_date that is less than the observation start_time, otherwise the model without start_date
--     d. The model has the same unit as the observation
;
-- migration: 20240704103901_scores_make_value_optional
-- AlterTable
ALTER TABLE "scores" ALTER COLUMN "value" DROP NOT NULL;

;
-- migration: 20240705152639_traces_view_add_created_at_updated_at
-- Drop and create to be able to change columns, otherwise new t.* cols cannot be added

DROP VIEW IF EXISTS traces_view;
CREATE VIEW traces_view AS
WITH observations_metrics AS (
    SELECT
        trace_id,
        project_id,
        EXTRACT(EPOCH FROM COALESCE(MAX(o.end_time), MAX(o.start_time))) - EXTRACT(EPOCH FROM MIN(o.start_time))::double precision AS duration
    FROM
        observations o
    GROUP BY
        project_id, trace_id
)
SELECT
    t.*,
    o.duration
FROM
    traces t
    LEFT JOIN observations_metrics o ON t.id = o.trace_id and t.project_id = o.project_id
;
-- migration: 20240705154048_observation_view_add_created_at_updated_at
DROP VIEW IF EXISTS "observations_view"; -- Drop view as column was added in 20240704103900_observations_view_read_from_calculated and update view must have same columns
CREATE VIEW "observations_view" AS -- Specify the columns that should be returned in the view, as calculated columns are added but exist in the observations table already
SELECT
    o.id,
    o.name,
    o.start_time,
    o.end_time,
    o.parent_observation_id,
    o.type,
    o.trace_id,
    o.metadata,
    o.model,
    o."modelParameters",
    o.input,
    o.output,
    o.level,
    o.status_message,
    o.completion_start_time,
    o.completion_tokens,
    o.prompt_tokens,
    o.total_tokens,
    o.version,
    o.project_id,
    o.created_at,
    o.updated_at,
    o.unit,
    o.prompt_id,
    o.input_cost,
    o.output_cost,
    o.total_cost,
    o.internal_model,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.calculated_input_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            COALESCE(o.calculated_input_cost, o.input_cost)
    END AS "calculated_input_cost",
    CASE 
        WHEN o.calculated_output_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            COALESCE(o.calculated_output_cost, o.output_cost)
    END AS "calculated_output_cost",
    CASE 
        WHEN o.calculated_total_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            COALESCE(o.calculated_total_cost, o.total_cost)
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency",
    CASE WHEN o.completion_start_time IS NOT NULL AND o.start_time IS NOT NULL THEN EXTRACT(EPOCH FROM (completion_start_time - start_time))::double precision ELSE NULL END as "time_to_first_token"
    
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE


-- requirements:
-- 1. The view should return all columns from the observations table
-- 2. The view should match with only one model for each observation if:
--     a. The model has the same project_id as the observation, otherwise the model without project_id. 
--     b. The model has the same model_name as the observation
--     c. The model has a start_date that is less than the observation start_time, otherwise the model without start_date
--     d. The model has the same unit as the observation
;
-- migration: 20240710114043_score_configs_drop_empty_categories_array_for_numeric_scores
-- Migration script to update score_configs entries
-- Set categories to NULL where data_type is 'NUMERIC' and categories is an empty array

UPDATE score_configs
SET categories = NULL
WHERE data_type = 'NUMERIC' AND categories IS NOT NULL;

;
-- migration: 20240710114044_add_pricing_gpt4o_mini
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- gpt-4o-mini
  ('clyrjp56f0000t0mzapoocd7u', NULL, 'gpt-4o-mini', '(?i)^(gpt-4o-mini)$', NULL, 0.00000015, 0.0000006, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4o" }'),
  
  -- gpt-4o-mini-2024-07-18
  ('clyrjpbe20000t0mzcbwc42rg', NULL, 'gpt-4o-mini-2024-07-18', '(?i)^(gpt-4o-mini-2024-07-18)$', NULL, 0.00000015, 0.0000006, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4o" }')
  
;
-- migration: 20240718004923_datasets_tables_add_projectid_composite_key
-- Add project_id to datasets, dataset_items, dataset_runs, dataset_run_items
ALTER TABLE "dataset_items" 
ADD COLUMN "project_id" TEXT;

ALTER TABLE "dataset_run_items" 
ADD COLUMN "project_id" TEXT;

ALTER TABLE "dataset_runs" 
ADD COLUMN "project_id" TEXT;

-- Backfill project_id for dataset_items
UPDATE dataset_items
SET project_id = datasets.project_id
FROM datasets
WHERE dataset_items.dataset_id = datasets.id;

-- Backfill project_id for dataset_runs
UPDATE dataset_runs
SET project_id = datasets.project_id
FROM datasets
WHERE dataset_runs.dataset_id = datasets.id;

-- Backfill project_id for dataset_run_items
UPDATE dataset_run_items
SET project_id = dataset_runs.project_id
FROM dataset_runs
WHERE dataset_run_items.dataset_run_id = dataset_runs.id;

-- Drop the old foreign keys
ALTER TABLE "dataset_run_items" 
DROP CONSTRAINT "dataset_run_items_dataset_item_id_fkey",
DROP CONSTRAINT "dataset_run_items_dataset_run_id_fkey";

ALTER TABLE "dataset_items" 
DROP CONSTRAINT "dataset_items_dataset_id_fkey";

ALTER TABLE "dataset_runs" 
DROP CONSTRAINT "dataset_runs_dataset_id_fkey";

-- Now alter the columns to NOT NULL and update primary keys
ALTER TABLE "datasets" 
DROP CONSTRAINT "datasets_pkey",
ADD CONSTRAINT "datasets_pkey" PRIMARY KEY ("id", "project_id");

ALTER TABLE "dataset_items" 
ALTER COLUMN "project_id" SET NOT NULL,
DROP CONSTRAINT "dataset_items_pkey",
ADD CONSTRAINT "dataset_items_pkey" PRIMARY KEY ("id", "project_id");

ALTER TABLE "dataset_runs" 
ALTER COLUMN "project_id" SET NOT NULL,
DROP CONSTRAINT "dataset_runs_pkey",
ADD CONSTRAINT "dataset_runs_pkey" PRIMARY KEY ("id", "project_id");

ALTER TABLE "dataset_run_items" 
ALTER COLUMN "project_id" SET NOT NULL,
DROP CONSTRAINT "dataset_run_items_pkey",
ADD CONSTRAINT "dataset_run_items_pkey" PRIMARY KEY ("id", "project_id");


-- Add new foreign keys
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_project_id_fkey" FOREIGN KEY ("dataset_id", "project_id") REFERENCES "datasets"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "dataset_runs" ADD CONSTRAINT "dataset_runs_dataset_id_project_id_fkey" FOREIGN KEY ("dataset_id", "project_id") REFERENCES "datasets"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_dataset_run_id_project_id_fkey" FOREIGN KEY ("dataset_run_id", "project_id") REFERENCES "dataset_runs"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "dataset_run_items" ADD CONSTRAINT "dataset_run_items_dataset_item_id_project_id_fkey" FOREIGN KEY ("dataset_item_id", "project_id") REFERENCES "dataset_items"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240718011733_dataset_runs_add_unique_dataset_id_project_id_name copy
-- CreateIndex
CREATE UNIQUE INDEX CONCURRENTLY "dataset_runs_dataset_id_project_id_name_key" ON "dataset_runs"("dataset_id", "project_id", "name");

;
-- migration: 20240718011734_dataset_runs_drop_unique_dataset_id_name
-- DropIndex
DROP INDEX CONCURRENTLY "dataset_runs_dataset_id_name_key";
;
-- migration: 20240718011735_observation_view_add_prompt_name_and_version
DROP VIEW IF EXISTS "observations_view"; -- Drop view as column was added in 20240705154048_observation_view_add_created_at_updated_at and update view must have same columns
CREATE VIEW "observations_view" AS -- Specify the columns that should be returned in the view, as calculated columns are added but exist in the observations table already
SELECT
    o.id,
    o.name,
    o.start_time,
    o.end_time,
    o.parent_observation_id,
    o.type,
    o.trace_id,
    o.metadata,
    o.model,
    o."modelParameters",
    o.input,
    o.output,
    o.level,
    o.status_message,
    o.completion_start_time,
    o.completion_tokens,
    o.prompt_tokens,
    o.total_tokens,
    o.version,
    o.project_id,
    o.created_at,
    o.updated_at,
    o.unit,
    o.prompt_id,
    p.name as prompt_name,         -- added in this change
    p.version as prompt_version,   -- added in this change
    o.input_cost,
    o.output_cost,
    o.total_cost,
    o.internal_model,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.calculated_input_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            COALESCE(o.calculated_input_cost, o.input_cost)
    END AS "calculated_input_cost",
    CASE 
        WHEN o.calculated_output_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            COALESCE(o.calculated_output_cost, o.output_cost)
    END AS "calculated_output_cost",
    CASE 
        WHEN o.calculated_total_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            COALESCE(o.calculated_total_cost, o.total_cost)
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency",
    CASE WHEN o.completion_start_time IS NOT NULL AND o.start_time IS NOT NULL THEN EXTRACT(EPOCH FROM (completion_start_time - start_time))::double precision ELSE NULL END as "time_to_first_token"
    
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE
LEFT JOIN LATERAL (
    SELECT
        prompts.*
    FROM
        prompts
    WHERE prompts.id = o.prompt_id
    AND prompts.project_id = o.project_id
    LIMIT 1
) p ON TRUE


-- requirements:
-- 1. The view should return all columns from the observations table
-- 2. The view should match with only one model for each observation if:
--     a. The model has the same project_id as the observation, otherwise the model without project_id. 
--     b. The model has the same model_name as the observation
--     c. The model has a start_date that is less than the observation start_time, otherwise the model without start_date
--     d. The model has the same unit as the observation
;
-- migration: 20240807111358_models_add_openai_gpt_4o_2024_08_06

INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- gpt-4o-2024-08-06
  ('clzjr85f70000ymmzg7hqffra', NULL, 'gpt-4o-2024-08-06', '(?i)^(gpt-4o-2024-08-06)$', NULL, 0.0000025, 0.000010, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4o" }')
  
;
-- migration: 20240807111359_add_organizations_main_migration
-- Table ORGANIZATIONS
-- Create empty table ORGANIZATIONS
CREATE TABLE "organizations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cloud_config" JSONB,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);
-- Backfill table ORGANIZATIONS: create a new organization for each project, move cloudConfig, and set the org_id on the project to project_id prefixed with 'o'
INSERT INTO "organizations" ("id", "name", "cloud_config", "created_at")
SELECT
  CONCAT('o', "id") as "id", -- This mapping is used in other migration steps as well, keep it consistent
  "name",
  "cloud_config",
  "created_at"
FROM "projects";
-- Drop column cloud_config from projects as it's now on organization level
ALTER TABLE "projects" DROP COLUMN "cloud_config";


-- PROJECT.ORG_ID
-- Add org_id to projects
ALTER TABLE "projects" ADD COLUMN "org_id" TEXT;
-- Backfill: org_id on projects, set it to project_id prefixed with 'o'
UPDATE "projects"
SET "org_id" = CONCAT('o', "id");
-- Set not null after backfill
ALTER TABLE "projects" ALTER COLUMN "org_id" SET NOT NULL;
-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- CreateIndex
CREATE INDEX "projects_org_id_idx" ON "projects"("org_id");


-- ORGANIZATION MEMBERSHIPS
-- Create UserRole ENUM
CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER', 'NONE');
-- Create empty table
CREATE TABLE "organization_memberships" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_memberships_pkey" PRIMARY KEY ("id")
);
-- Add indexes
CREATE INDEX "organization_memberships_user_id_idx" ON "organization_memberships"("user_id");
CREATE INDEX "organization_memberships_org_id_idx" ON "organization_memberships"("org_id");
CREATE UNIQUE INDEX "organization_memberships_org_id_user_id_key" ON "organization_memberships"("org_id", "user_id");
-- AddForeignKey
ALTER TABLE "organization_memberships" ADD CONSTRAINT "organization_memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "organization_memberships" ADD CONSTRAINT "organization_memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Migrate project memberships to organization memberships
INSERT INTO "organization_memberships" ("id", "org_id", "user_id", "role", "created_at", "updated_at")
SELECT
  md5(random()::text || clock_timestamp()::text || project_id::text || user_id::text)::uuid AS "id",
  CONCAT('o', "project_id") as "org_id",
  "user_id",
  "role"::text::"Role" as "role",
  "created_at",
  "updated_at"
FROM "project_memberships";



-- Delete all project memberships after migration to organization memberships
DELETE FROM "project_memberships";

-- Add org_membership_id to project_memberships, ok to be not null as it's a new column on a now empty table
ALTER TABLE "project_memberships" ADD COLUMN     "org_membership_id" TEXT NOT NULL;
-- Switch to new UserRole enum
ALTER TABLE "project_memberships" DROP COLUMN "role",
ADD COLUMN     "role" "Role" NOT NULL;
-- AddForeignKey
ALTER TABLE "project_memberships" ADD CONSTRAINT "project_memberships_org_membership_id_fkey" FOREIGN KEY ("org_membership_id") REFERENCES "organization_memberships"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- CreateIndex
CREATE INDEX "project_memberships_project_id_idx" ON "project_memberships"("project_id");
-- CreateIndex
CREATE INDEX "project_memberships_org_membership_id_idx" ON "project_memberships"("org_membership_id");



-- AUDIT LOGS
-- DropForeignKey, just index on these, should remain after project/org/user deletions
ALTER TABLE "audit_logs" DROP CONSTRAINT "audit_logs_user_id_fkey";
ALTER TABLE "audit_logs" DROP CONSTRAINT "audit_logs_project_id_fkey";
-- Drop not null on project level cols
ALTER TABLE "audit_logs" ALTER COLUMN "project_id" DROP NOT NULL;
ALTER TABLE "audit_logs" ALTER COLUMN "user_project_role" DROP NOT NULL;
-- Add org-level cols
ALTER TABLE "audit_logs" ADD COLUMN "org_id" TEXT;
ALTER TABLE "audit_logs" ADD COLUMN "user_org_role" TEXT;
-- Backfill org_id
UPDATE "audit_logs"
SET "org_id" = "projects"."org_id"
FROM "projects"
WHERE "audit_logs"."project_id" = "projects"."id";
-- Backfill user_org_role with value from user_project_role
UPDATE "audit_logs"
SET "user_org_role" = "user_project_role"::text::"Role";
-- Drop and recreate user_project_role column as text column going forward, empty for historical data as it's all on org level now
ALTER TABLE "audit_logs" DROP COLUMN "user_project_role";
ALTER TABLE "audit_logs" ADD COLUMN "user_project_role" TEXT; -- nullable
-- Add not null on org level cols
ALTER TABLE "audit_logs" ALTER COLUMN "org_id" SET NOT NULL;
ALTER TABLE "audit_logs" ALTER COLUMN "user_org_role" SET NOT NULL;
-- CreateIndex
CREATE INDEX "audit_logs_user_id_idx" ON "audit_logs"("user_id");
CREATE INDEX "audit_logs_org_id_idx" ON "audit_logs"("org_id");


-- MEMBERSHIP INVITATIONS
-- Rename sender_id to invited_by_user_id
ALTER TABLE "membership_invitations" DROP CONSTRAINT "membership_invitations_sender_id_fkey";
ALTER TABLE "membership_invitations" RENAME COLUMN "sender_id" TO "invited_by_user_id";
ALTER TABLE "membership_invitations" ADD CONSTRAINT "membership_invitations_invited_by_user_id_fkey" FOREIGN KEY ("invited_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- DropForeignKey
ALTER TABLE "membership_invitations" DROP CONSTRAINT "membership_invitations_project_id_fkey";
-- AlterTable
ALTER TABLE "membership_invitations" RENAME COLUMN "role" TO "project_role";
ALTER TABLE "membership_invitations" ADD COLUMN "org_id" TEXT;
ALTER TABLE "membership_invitations" ADD COLUMN "org_role" "Role";
ALTER TABLE "membership_invitations" ALTER COLUMN "project_id" DROP NOT NULL;
ALTER TABLE "membership_invitations" ALTER COLUMN "project_role" DROP NOT NULL;
-- Backfill org id
UPDATE "membership_invitations"
SET "org_id" = "projects"."org_id"
FROM "projects"
WHERE "membership_invitations"."project_id" = "projects"."id";
-- AddForeignKey
ALTER TABLE "membership_invitations" ADD CONSTRAINT "membership_invitations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- Backfill org role with value from project role
UPDATE "membership_invitations"
SET "org_role" = "project_role"::text::"Role";
-- Set project-level cols to null, as it's now org level for all existing invitations and role enum will change below
UPDATE "membership_invitations"
SET "project_role" = NULL, "project_id" = NULL;
-- Switch to new UserRole enum
ALTER TABLE "membership_invitations" DROP COLUMN "project_role",
ADD COLUMN     "project_role" "Role";

-- AddForeignKey
ALTER TABLE "membership_invitations" ADD CONSTRAINT "membership_invitations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Add not null on org level cols after backfill
ALTER TABLE "membership_invitations"
ALTER COLUMN "org_id" SET NOT NULL,
ALTER COLUMN "org_role" SET NOT NULL;
-- CreateIndex
CREATE INDEX "membership_invitations_org_id_idx" ON "membership_invitations"("org_id");


-- Drop ProjectRole enum as it is replaced by Role
DROP TYPE "ProjectRole";
;
-- migration: 20240814223824_model_fix_text_embedding_3_large

-- Fix model name
-- https://github.com/langfuse/langfuse/issues/2688

UPDATE models
SET model_name = 'text-embedding-3-large'
WHERE id = 'clruwn76700020al7gp8e4g4l'
;
-- migration: 20240814233029_dataset_items_drop_fkey_on_traces_and_observations
-- DropForeignKey
ALTER TABLE "dataset_items" DROP CONSTRAINT "dataset_items_source_observation_id_fkey";

-- DropForeignKey
ALTER TABLE "dataset_items" DROP CONSTRAINT "dataset_items_source_trace_id_fkey";

;
-- migration: 20240815171916_add_comments
-- CreateEnum
CREATE TYPE "CommentObjectType" AS ENUM ('TRACE', 'OBSERVATION', 'SESSION', 'PROMPT');

-- CreateTable
CREATE TABLE "comments" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "object_type" "CommentObjectType" NOT NULL,
    "object_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content" TEXT NOT NULL,
    "author_user_id" TEXT,

    CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "comments_project_id_object_type_object_id_idx" ON "comments"("project_id", "object_type", "object_id");

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20240913095558_models_add_openai_o1_2024-09-12
-- For OpenAI reasoning models, manually tokenizing output string does not account for reasoning tokens, thus would lead to incorrect cost
-- So no manual tokenizer config is provided
-- Reference: https://platform.openai.com/docs/guides/reasoning/how-reasoning-works

INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- o1-preview
  ('cm10ivcdp0000gix7lelmbw80', NULL, 'o1-preview', '(?i)^(o1-preview)$', NULL, 0.000015, 0.00006, NULL, 'TOKENS', NULL, NULL), 

  -- o1-preview-2024-09-12
  ('cm10ivo130000n8x7qopcjjcg', NULL, 'o1-preview-2024-09-12', '(?i)^(o1-preview-2024-09-12)$', NULL, 0.000015, 0.00006, NULL, 'TOKENS', NULL, NULL), 

  -- o1-mini
  ('cm10ivwo40000r1x7gg3syjq0', NULL, 'o1-mini', '(?i)^(o1-mini)$', NULL, 0.000003, 0.000012, NULL, 'TOKENS', NULL, NULL), 

  -- o1-mini-2024-09-12
  ('cm10iw6p20000wgx7it1hlb22', NULL, 'o1-mini-2024-09-12', '(?i)^(o1-mini-2024-09-12)$', NULL, 0.000003, 0.000012, NULL, 'TOKENS', NULL, NULL) 


;
-- migration: 20240913185822_account_add_refresh_token_expires_in
-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "refresh_token_expires_in" INTEGER;

;
-- migration: 20240917183001_remove_covered_indexes_01
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "traces_project_id_idx"; -- covered by traces_project_id_timestamp_idx

;
-- migration: 20240917183002_remove_covered_indexes_02
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "datasets_project_id_idx"; -- covered by datasets_project_id_name_key (unique)

;
-- migration: 20240917183003_remove_covered_indexes_03
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "eval_templates_project_id_idx"; -- covered by eval_templates_project_id_id_idx

;
-- migration: 20240917183004_remove_covered_indexes_04
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "job_configurations_project_id_idx"; -- covered by job_configurations_project_id_id_idx

;
-- migration: 20240917183005_remove_covered_indexes_05
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "job_executions_project_id_idx"; -- covered by job_executions_project_id_id_idx

;
-- migration: 20240917183006_remove_covered_indexes_06
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "llm_api_keys_project_id_provider_idx"; -- covered by llm_api_keys_project_id_provider_key (unique)

;
-- migration: 20240917183007_remove_covered_indexes_07
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "models_project_id_model_name_idx"; -- covered by models_project_id_model_name_start_date_unit_key (unique)

;
-- migration: 20240917183008_remove_covered_indexes_08
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "models_project_id_model_name_start_date_unit_idx"; -- covered by models_project_id_model_name_start_date_unit_key (unique)

;
-- migration: 20240917183009_remove_covered_indexes_09
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "observations_project_id_idx"; -- covered by observations_project_id_start_time_type_idx

;
-- migration: 20240917183010_remove_covered_indexes_10
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "observations_trace_id_idx"; -- covered by observations_trace_id_project_id_start_time_idx

;
-- migration: 20240917183011_remove_covered_indexes_11
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "observations_trace_id_project_id_idx"; -- covered by observations_trace_id_project_id_start_time_idx

;
-- migration: 20240917183012_remove_covered_indexes_12
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "organization_memberships_org_id_idx"; -- covered by organization_memberships_org_id_user_id_key (unique)

;
-- migration: 20240917183013_remove_covered_indexes_13
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "posthog_integrations_project_id_idx"; -- covered by posthog_integrations_pkey (unique)

;
-- migration: 20240917183014_remove_covered_indexes_14
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "prompts_project_id_idx"; -- covered by prompts_project_id_name_version_key (unique)

;
-- migration: 20240917183015_remove_covered_indexes_15
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "prompts_project_id_name_version_idx"; -- covered by prompts_project_id_name_version_key (unique)

;
-- migration: 20240917183016_remove_covered_indexes_16
-- DropIndex
-- Removes indexes that are covered by other indexes on the same table, e.g. (project_id) if (project_id, timestamp) exists.
DROP INDEX CONCURRENTLY IF EXISTS "scores_project_id_idx"; -- covered by scores_project_id_name_idx

;
-- migration: 20241009042557_auth_add_created_at_for_gitlab
-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "created_at" INTEGER;

;
-- migration: 20241009110720_scores_add_nullable_queue_id_column
-- AlterTable
ALTER TABLE "scores" ADD COLUMN     "queue_id" TEXT;

;
-- migration: 20241009113245_add_annotation_queue
-- CreateEnum
CREATE TYPE "AnnotationQueueStatus" AS ENUM ('PENDING', 'COMPLETED');

-- CreateEnum
CREATE TYPE "AnnotationQueueObjectType" AS ENUM ('TRACE', 'OBSERVATION');

-- CreateTable
CREATE TABLE "annotation_queues" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "score_config_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "annotation_queues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "annotation_queue_items" (
    "id" TEXT NOT NULL,
    "queue_id" TEXT NOT NULL,
    "object_id" TEXT NOT NULL,
    "object_type" "AnnotationQueueObjectType" NOT NULL,
    "status" "AnnotationQueueStatus" NOT NULL DEFAULT 'PENDING',
    "locked_at" TIMESTAMP(3),
    "locked_by_user_id" TEXT,
    "annotator_user_id" TEXT,
    "completed_at" TIMESTAMP(3),
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "annotation_queue_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "annotation_queues_id_project_id_idx" ON "annotation_queues"("id", "project_id");

-- CreateIndex
CREATE INDEX "annotation_queues_project_id_created_at_idx" ON "annotation_queues"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "annotation_queues_project_id_name_key" ON "annotation_queues"("project_id", "name");

-- CreateIndex
CREATE INDEX "annotation_queue_items_id_project_id_idx" ON "annotation_queue_items"("id", "project_id");

-- CreateIndex
CREATE INDEX "annotation_queue_items_project_id_queue_id_status_idx" ON "annotation_queue_items"("project_id", "queue_id", "status");

-- CreateIndex
CREATE INDEX "annotation_queue_items_object_id_object_type_project_id_que_idx" ON "annotation_queue_items"("object_id", "object_type", "project_id", "queue_id");

-- CreateIndex
CREATE INDEX "annotation_queue_items_annotator_user_id_idx" ON "annotation_queue_items"("annotator_user_id");

-- CreateIndex
CREATE INDEX "annotation_queue_items_created_at_idx" ON "annotation_queue_items"("created_at");

-- AddForeignKey
ALTER TABLE "annotation_queues" ADD CONSTRAINT "annotation_queues_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation_queue_items" ADD CONSTRAINT "annotation_queue_items_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "annotation_queues"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation_queue_items" ADD CONSTRAINT "annotation_queue_items_locked_by_user_id_fkey" FOREIGN KEY ("locked_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation_queue_items" ADD CONSTRAINT "annotation_queue_items_annotator_user_id_fkey" FOREIGN KEY ("annotator_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation_queue_items" ADD CONSTRAINT "annotation_queue_items_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20241010120245_llm_keys_add_config
ALTER TABLE "llm_api_keys" ADD COLUMN "config" JSONB;
;
-- migration: 20241015110145_prompts_config_to_JSON
-- Temporarily drop observations_view as prompts.config is a calculated column in the view and we need to update it to a JSON type
DROP VIEW IF EXISTS "observations_view"; -- Drop view as column was added in 20240705154048_observation_view_add_created_at_updated_at and update view must have same columns

-- Update prompts.config to JSON type. Use JSON as JSONB is reordering keys for optimization, which is undesired
ALTER TABLE prompts ALTER COLUMN config TYPE JSON USING config::JSON;
ALTER TABLE prompts ALTER COLUMN config SET DEFAULT '{}'::JSON;

-- Recreate the view with the updated prompts.config column
CREATE VIEW "observations_view" AS -- Specify the columns that should be returned in the view, as calculated columns are added but exist in the observations table already
SELECT
    o.id,
    o.name,
    o.start_time,
    o.end_time,
    o.parent_observation_id,
    o.type,
    o.trace_id,
    o.metadata,
    o.model,
    o."modelParameters",
    o.input,
    o.output,
    o.level,
    o.status_message,
    o.completion_start_time,
    o.completion_tokens,
    o.prompt_tokens,
    o.total_tokens,
    o.version,
    o.project_id,
    o.created_at,
    o.updated_at,
    o.unit,
    o.prompt_id,
    p.name as prompt_name,         -- added in this change
    p.version as prompt_version,   -- added in this change
    o.input_cost,
    o.output_cost,
    o.total_cost,
    o.internal_model,
    m.id AS "model_id",
    m.start_date AS "model_start_date",
    m.input_price,
    m.output_price,
    m.total_price,
    m.tokenizer_config AS "tokenizer_config",
    CASE 
        WHEN o.calculated_input_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.prompt_tokens::decimal * m.input_price
        ELSE
            COALESCE(o.calculated_input_cost, o.input_cost)
    END AS "calculated_input_cost",
    CASE 
        WHEN o.calculated_output_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            o.completion_tokens::decimal * m.output_price
        ELSE
            COALESCE(o.calculated_output_cost, o.output_cost)
    END AS "calculated_output_cost",
    CASE 
        WHEN o.calculated_total_cost IS NULL AND o.input_cost IS NULL AND o.output_cost IS NULL AND o.total_cost IS NULL THEN
            CASE 
                WHEN m.total_price IS NOT NULL AND o.total_tokens IS NOT NULL THEN
                    m.total_price * o.total_tokens
                ELSE
                    o.prompt_tokens::decimal * m.input_price + 
                    o.completion_tokens::decimal * m.output_price
            END
        ELSE
            COALESCE(o.calculated_total_cost, o.total_cost)
    END AS "calculated_total_cost",
    CASE WHEN o.end_time IS NULL THEN NULL ELSE (EXTRACT(EPOCH FROM o."end_time") - EXTRACT(EPOCH FROM o."start_time"))::double precision END AS "latency",
    CASE WHEN o.completion_start_time IS NOT NULL AND o.start_time IS NOT NULL THEN EXTRACT(EPOCH FROM (completion_start_time - start_time))::double precision ELSE NULL END as "time_to_first_token"
    
FROM
    observations o
LEFT JOIN LATERAL (
    SELECT
        models.*
    FROM
        models
    WHERE (models.project_id = o.project_id OR models.project_id IS NULL)
    AND models.model_name = o.internal_model
    AND (models.start_date < o.start_time OR models.start_date IS NULL)
    AND o.unit::TEXT = models.unit
    ORDER BY
        models.project_id ASC, -- in postgres, NULLs are sorted last when ordering ASC
        models.start_date DESC NULLS LAST -- now, NULLs are sorted last when ordering DESC as well
    LIMIT 1
) m ON TRUE
LEFT JOIN LATERAL (
    SELECT
        prompts.*
    FROM
        prompts
    WHERE prompts.id = o.prompt_id
    AND prompts.project_id = o.project_id
    LIMIT 1
) p ON TRUE


-- requirements:
-- 1. The view should return all columns from the observations table
-- 2. The view should match with only one model for each observation if:
--     a. The model has the same project_id as the observation, otherwise the model without project_id. 
--     b. The model has the same model_name as the observation
--     c. The model has a start_date that is less than the observation start_time, otherwise the model without start_date
--     d. The model has the same unit as the observation
;
-- migration: 20241022110145_add_claude_sonnet_35
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://docs.anthropic.com/en/docs/about-claude/models#model-comparison-table
  ('cm2krz1uf000208jjg5653iud', NULL, 'claude-3.5-haiku-20241022', '(?i)^(claude-3-5-sonnet-20241022|anthropic\.claude-3-5-sonnet-20241022-v2:0|claude-3-5-sonnet-V2@20241022)$', NULL, 0.000003, 0.000015, NULL, 'TOKENS', 'claude', NULL),
  ('cm2ks2vzn000308jjh4ze1w7q', NULL, 'claude-3.5-haiku-latest', '(?i)^(claude-3-5-sonnet-latest)$', NULL, 0.000003, 0.000015, NULL, 'TOKENS', 'claude', NULL)


;
-- migration: 20241023110145_update_claude_sonnet_35
-- https://docs.anthropic.com/en/docs/about-claude/models#model-comparison-table
UPDATE models SET model_name = 'claude-3.5-sonnet-20241022' WHERE id = 'cm2krz1uf000208jjg5653iud';
UPDATE models SET model_name = 'claude-3.5-sonnet-latest' WHERE id = 'cm2ks2vzn000308jjh4ze1w7q';
;
-- migration: 20241024100928_add_prices_table
-- CreateTable
CREATE TABLE "prices" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "model_id" TEXT NOT NULL,
    "usage_type" TEXT NOT NULL,
    "price" DECIMAL(65,30) NOT NULL,

    CONSTRAINT "prices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "prices_model_id_idx" ON "prices"("model_id");

-- CreateIndex
CREATE UNIQUE INDEX "prices_model_id_usage_type_key" ON "prices"("model_id", "usage_type");

-- AddForeignKey
ALTER TABLE "prices" ADD CONSTRAINT "prices_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Alter Table to make unit column nullable
ALTER TABLE "models" ALTER COLUMN "unit" DROP NOT NULL;


-- Create a temporary table to store the new prices for user-defined models
CREATE TEMPORARY TABLE temp_prices AS
SELECT 
    id AS model_id,
    'input' AS usage_type,
    input_price AS price
FROM models
WHERE project_id IS NOT NULL AND input_price IS NOT NULL
UNION ALL
SELECT 
    id AS model_id,
    'output' AS usage_type,
    output_price AS price
FROM models
WHERE project_id IS NOT NULL AND output_price IS NOT NULL
UNION ALL
SELECT 
    id AS model_id,
    'total' AS usage_type,
    total_price AS price
FROM models
WHERE project_id IS NOT NULL AND total_price IS NOT NULL;

-- Insert into prices table
INSERT INTO prices (id, created_at, updated_at, model_id, usage_type, price)
SELECT 
    md5(random()::text || clock_timestamp()::text || model_id::text || usage_type::text)::uuid AS id,
    NOW() AS created_at,
    NOW() AS updated_at,
    model_id,
    usage_type,
    price
FROM temp_prices
ON CONFLICT (model_id, usage_type) DO NOTHING;

-- Drop the temporary table
DROP TABLE temp_prices;
;
-- migration: 20241024111800_add_background_migrations_table
-- CreateTable
CREATE TABLE "background_migrations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "script" TEXT NOT NULL,
    "args" JSONB NOT NULL,

    "finished_at" TIMESTAMP(3),
    "failed_at" TIMESTAMP(3),
    "failed_reason" TEXT,
    "worker_id" TEXT,
    "locked_at" TIMESTAMP(3),

    CONSTRAINT "background_migrations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "background_migrations_name_key" ON "background_migrations"("name");

;
-- migration: 20241024121500_add_generations_cost_backfill_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('32859a35-98f5-4a4a-b438-ebc579349e00', '20241024_1216_add_generations_cost_backfill', 'addGenerationsCostBackfill', '{}');

;
-- migration: 20241024173000_add_traces_pg_to_ch_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('5960f22a-748f-480c-b2f3-bc4f9d5d84bc', '20241024_1730_migrate_traces_from_pg_to_ch', 'migrateTracesFromPostgresToClickhouse', '{}');

;
-- migration: 20241024173700_add_observations_pg_to_ch_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('7526e7c9-0026-4595-af2c-369dfd9176ec', '20241024_1737_migrate_observations_from_pg_to_ch', 'migrateObservationsFromPostgresToClickhouse', '{}');

;
-- migration: 20241024173800_add_scores_pg_to_ch_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('94e50334-50d3-4e49-ad2e-9f6d92c85ef7', '20241024_1738_migrate_scores_from_pg_to_ch', 'migrateScoresFromPostgresToClickhouse', '{}');

;
-- migration: 20241029130802_prices_drop_excess_index
-- DropIndex
DROP INDEX CONCURRENTLY "prices_model_id_idx";

;
-- migration: 20241104111600_background_migrations_add_state_column
-- AlterTable
ALTER TABLE "background_migrations" ADD COLUMN "state" jsonb NOT NULL DEFAULT '{}';
;
-- migration: 20241105110900_add_claude_haiku_35
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  -- https://docs.anthropic.com/en/docs/about-claude/models#model-comparison-table
  ('cm34aq60d000207ml0j1h31ar', NULL, 'claude-3-5-haiku-20241022', '(?i)^(claude-3-5-haiku-20241022|anthropic\.claude-3-5-haiku-20241022-v1:0|claude-3-5-haiku-V1@20241022)$', NULL, 0.000001, 0.000005, NULL, 'TOKENS', 'claude', NULL),
  ('cm34aqb9h000307ml6nypd618', NULL, 'claude-3.5-haiku-latest', '(?i)^(claude-3-5-haiku-latest)$', NULL, 0.000001, 0.000005, NULL, 'TOKENS', 'claude', NULL);

INSERT INTO prices (
  id, 
  model_id, 
  usage_type,
  price
)
VALUES
  ('cm34ax6mc000008jkfqed92mb', 'cm34aq60d000207ml0j1h31ar', 'input', 0.000001),
  ('cm34axb2o000108jk09wn9b47', 'cm34aqb9h000307ml6nypd618', 'input', 0.000001),
  ('cm34axeie000208jk8b2ke2t8', 'cm34aq60d000207ml0j1h31ar', 'output', 0.000005),
  ('cm34axi67000308jk7x1a7qko', 'cm34aqb9h000307ml6nypd618', 'output', 0.000005);

;
-- migration: 20241106122605_add_media_tables
-- CreateTable
CREATE TABLE "media" (
    "id" TEXT NOT NULL,
    "sha_256_hash" CHAR(44) NOT NULL,
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uploaded_at" TIMESTAMP(3),
    "upload_http_status" INTEGER,
    "upload_http_error" TEXT,
    "bucket_path" TEXT NOT NULL,
    "bucket_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "content_length" BIGINT NOT NULL,

    CONSTRAINT "media_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trace_media" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "media_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "field" TEXT NOT NULL,

    CONSTRAINT "trace_media_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "observation_media" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "media_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "observation_id" TEXT NOT NULL,
    "field" TEXT NOT NULL,

    CONSTRAINT "observation_media_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "media_project_id_sha_256_hash_key" ON "media"("project_id", "sha_256_hash");

-- CreateIndex
CREATE UNIQUE INDEX "trace_media_project_id_trace_id_media_id_field_key" ON "trace_media"("project_id", "trace_id", "media_id", "field");

-- CreateIndex
CREATE INDEX "observation_media_project_id_observation_id_idx" ON "observation_media"("project_id", "observation_id");

-- CreateIndex
CREATE UNIQUE INDEX "observation_media_project_id_trace_id_observation_id_media__key" ON "observation_media"("project_id", "trace_id", "observation_id", "media_id", "field");

-- AddForeignKey
ALTER TABLE "media" ADD CONSTRAINT "media_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trace_media" ADD CONSTRAINT "trace_media_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trace_media" ADD CONSTRAINT "trace_media_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation_media" ADD CONSTRAINT "observation_media_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation_media" ADD CONSTRAINT "observation_media_media_id_fkey" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20241114175010_job_executions_add_observation_dataset_item_cols
-- DropForeignKey
ALTER TABLE "job_executions" DROP CONSTRAINT "job_executions_job_input_trace_id_fkey";

-- AlterTable
ALTER TABLE "job_executions" ADD COLUMN     "job_input_dataset_item_id" TEXT,
ADD COLUMN     "job_input_observation_id" TEXT;

;
-- migration: 20241124115100_add_projects_deleted_at
-- AlterTable
ALTER TABLE "projects" ADD COLUMN "deleted_at" TIMESTAMP(3);

;
-- migration: 20241125124029_add_chatgpt_4o_prices
INSERT INTO models (
  id,
  project_id,
  model_name,
  match_pattern,
  start_date,
  input_price,
  output_price,
  total_price,
  unit,
  tokenizer_id,
  tokenizer_config
)
VALUES
  ('cm3x0p8ev000008kyd96800c8', NULL, 'chatgpt-4o-latest', '(?i)^(chatgpt-4o-latest)$', NULL, 0.000005, 0.000015, NULL, 'TOKENS', 'openai', '{ "tokensPerMessage": 3, "tokensPerName": 1, "tokenizerModel": "gpt-4o" }');

INSERT INTO prices (
  id, 
  model_id, 
  usage_type,
  price
)
VALUES
  ('cm3x0psrz000108kydpxg9o2k', 'cm3x0p8ev000008kyd96800c8', 'input', 0.000005),
  ('cm3x0pyt7000208ky8737gdla', 'cm3x0p8ev000008kyd96800c8', 'output', 0.000015);

;
-- migration: 20241206115829_remove_trace_score_observation_constraints
-- DropForeignKey
ALTER TABLE "job_executions" DROP CONSTRAINT "job_executions_job_output_score_id_fkey";

-- DropForeignKey
ALTER TABLE "traces" DROP CONSTRAINT "traces_session_id_project_id_fkey";

;
-- migration: 20250108220721_add_queue_backup_table
-- CreateTable
CREATE TABLE "queue_backups" (
    "id" TEXT NOT NULL,
    "project_id" TEXT,
    "queue_name" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "queue_backups_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "traces" ADD CONSTRAINT "traces_session_id_project_id_fkey" FOREIGN KEY ("session_id", "project_id") REFERENCES "trace_sessions"("id", "project_id") ON DELETE RESTRICT ON UPDATE CASCADE;

;
-- migration: 20250109083346_drop_trace_tracesession_fk
-- DropForeignKey
ALTER TABLE "traces" DROP CONSTRAINT "traces_session_id_project_id_fkey";

;
-- migration: 20250116154613_add_billing_meter_backups
-- CreateTable
CREATE TABLE "billing_meter_backups" (
    "stripe_customer_id" TEXT NOT NULL,
    "meter_id" TEXT NOT NULL,
    "start_time" TIMESTAMP(3) NOT NULL,
    "end_time" TIMESTAMP(3) NOT NULL,
    
    "aggregated_value" INTEGER NOT NULL,
    
    "event_name" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "billing_meter_backups_stripe_customer_id_meter_id_start_tim_idx" ON "billing_meter_backups"("stripe_customer_id", "meter_id", "start_time", "end_time");

-- CreateIndex
CREATE UNIQUE INDEX "billing_meter_backups_stripe_customer_id_meter_id_start_tim_key" ON "billing_meter_backups"("stripe_customer_id", "meter_id", "start_time", "end_time");

;
-- migration: 20250122152102_add_llm_api_keys_extra_headers
ALTER TABLE "llm_api_keys"
    ADD COLUMN "extra_headers" TEXT,
    ADD COLUMN "extra_header_keys" TEXT[] NOT NULL DEFAULT '{}'::TEXT[];

;
-- migration: 20250123103200_add_retention_days_to_projects
-- AlterTable
ALTER TABLE "projects"
    ADD COLUMN "retention_days" INTEGER;

;
-- migration: 20250128144418_llm_adapter_rename_google_vertex_ai
UPDATE "llm_api_keys" SET adapter = 'google-vertex-ai' WHERE adapter = 'vertex-ai';

;
-- migration: 20250128163035_add_nullable_commit_message_prompts
-- AlterTable
ALTER TABLE "prompts" ADD COLUMN     "commit_message" TEXT;

;
-- migration: 20250204180200_add_event_log_table
-- CreateTable
CREATE TABLE "event_log" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bucket_name" TEXT NOT NULL,
    "bucket_path" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,

    "trace_id" TEXT,

    CONSTRAINT "event_log_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "event_log_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "event_log_project_id_entity_type_entity_id_idx" ON "event_log"("project_id", "entity_type", "entity_id");

;
-- migration: 20250211102600_drop_event_log_table
-- DropTable
DROP TABLE event_log;

;
-- migration: 20250211123300_drop_events_table
-- DropTable
DROP TABLE events;

;
-- migration: 20250214173309_add_timescope_to_configs
-- AlterTable
ALTER TABLE "job_configurations" ADD COLUMN     "time_scope" TEXT[] DEFAULT ARRAY['NEW']::TEXT[];

;
-- migration: 20250220141500_add_environment_to_trace_sessions
-- AlterTable
ALTER TABLE "trace_sessions"
ADD COLUMN "environment" TEXT NOT NULL DEFAULT 'default';

;
-- migration: 20250221143400_drop_trace_view_observation_view
DROP VIEW IF EXISTS "observations_view";
DROP VIEW IF EXISTS "traces_view";
;
-- migration: 20250303144044_add_prompt_dependencies_table
CREATE TABLE "prompt_dependencies" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "parent_id" TEXT NOT NULL,
    "child_name" TEXT NOT NULL,
    "child_label" TEXT,
    "child_version" INTEGER,

    CONSTRAINT "prompt_dependencies_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "prompt_dependencies" ADD CONSTRAINT "prompt_dependencies_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "prompt_dependencies" ADD CONSTRAINT "prompt_dependencies_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "prompts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE INDEX "prompt_dependencies_project_id_parent_id" ON "prompt_dependencies"("project_id", "parent_id");
CREATE INDEX "prompt_dependencies_project_id_child_name" ON "prompt_dependencies"("project_id", "child_name");

;
-- migration: 20250310100328_add_api_key_to_audit_log
-- CreateEnum
CREATE TYPE "AuditLogRecordType" AS ENUM ('USER', 'API_KEY');

-- AlterTable
ALTER TABLE "audit_logs" ADD COLUMN     "api_key_id" TEXT,
ADD COLUMN     "type" "AuditLogRecordType" NOT NULL DEFAULT 'USER',
ALTER COLUMN "user_id" DROP NOT NULL,
ALTER COLUMN "user_org_role" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "audit_logs_api_key_id_idx" ON "audit_logs"("api_key_id");

;
-- migration: 20250321102240_drop_queue_backup_table
-- DropTable
DROP TABLE "queue_backups";

;
-- migration: 20250324110557_add_blobstorage_integration_table
-- CreateEnum
CREATE TYPE "BlobStorageIntegrationType" AS ENUM ('S3', 'S3_COMPATIBLE', 'AZURE_BLOB_STORAGE');

-- CreateTable
CREATE TABLE "blob_storage_integrations" (
    "project_id" TEXT NOT NULL,
    "type" "BlobStorageIntegrationType" NOT NULL,
    "bucket_name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "access_key_id" TEXT NOT NULL,
    "secret_access_key" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "endpoint" TEXT,
    "force_path_style" BOOLEAN NOT NULL,
    "next_sync_at" TIMESTAMP(3),
    "last_sync_at" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL,
    "export_frequency" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blob_storage_integrations_pkey" PRIMARY KEY ("project_id")
);

-- AddForeignKey
ALTER TABLE "blob_storage_integrations" ADD CONSTRAINT "blob_storage_integrations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250326180640_add_llm_tools_and_schemas_tables
-- CreateTable
CREATE TABLE "llm_schemas" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "schema" JSON NOT NULL,

    CONSTRAINT "llm_schemas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "llm_tools" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "parameters" JSON NOT NULL,

    CONSTRAINT "llm_tools_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "llm_schemas_project_id_name_key" ON "llm_schemas"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "llm_tools_project_id_name_key" ON "llm_tools"("project_id", "name");

-- AddForeignKey
ALTER TABLE "llm_schemas" ADD CONSTRAINT "llm_schemas_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "llm_tools" ADD CONSTRAINT "llm_tools_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250401122159_add_prompt_protected_labels_table
-- CreateTable
CREATE TABLE "prompt_protected_labels" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "prompt_protected_labels_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "prompt_protected_labels_project_id_label_key" ON "prompt_protected_labels"("project_id", "label");

-- AddForeignKey
ALTER TABLE "prompt_protected_labels" ADD CONSTRAINT "prompt_protected_labels_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250402142320_add_blobstorage_integration_file_type
-- CreateEnum
CREATE TYPE "BlobStorageIntegrationFileType" AS ENUM ('JSON', 'CSV', 'JSONL');

-- AlterTable
ALTER TABLE "blob_storage_integrations" ADD COLUMN     "file_type" "BlobStorageIntegrationFileType" NOT NULL DEFAULT 'CSV';

;
-- migration: 20250403153555_membership_invitations_no_duplicates
-- Delete duplicate membership invitations, keeping only the newest one for each email and org_id combination
WITH ranked_invitations AS (
  SELECT 
    id,
    email,
    org_id,
    ROW_NUMBER() OVER (PARTITION BY email, org_id ORDER BY updated_at DESC) as rn
  FROM membership_invitations
)
DELETE FROM membership_invitations
WHERE id IN (
  SELECT id FROM ranked_invitations WHERE rn > 1
);


-- CreateIndex
CREATE UNIQUE INDEX "membership_invitations_email_org_id_key" ON "membership_invitations"("email", "org_id");

;
-- migration: 20250409154352_add_dashboard_data_model
-- CreateEnum
CREATE TYPE "DashboardWidgetViews" AS ENUM ('TRACES', 'OBSERVATIONS', 'SCORES_NUMERIC', 'SCORES_CATEGORICAL');

-- CreateEnum
CREATE TYPE "DashboardWidgetChartType" AS ENUM ('LINE_TIME_SERIES', 'BAR_TIME_SERIES', 'HORIZONTAL_BAR', 'VERTICAL_BAR', 'PIE');

-- CreateTable
CREATE TABLE "dashboards" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_by" TEXT,
    "project_id" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "definition" JSONB NOT NULL,

    CONSTRAINT "dashboards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dashboard_widgets" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_by" TEXT,
    "project_id" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "view" "DashboardWidgetViews" NOT NULL,
    "dimensions" JSONB NOT NULL,
    "metrics" JSONB NOT NULL,
    "filters" JSONB NOT NULL,
    "chart_type" "DashboardWidgetChartType" NOT NULL,
    "chart_config" JSONB NOT NULL,

    CONSTRAINT "dashboard_widgets_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboards" ADD CONSTRAINT "dashboards_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboard_widgets" ADD CONSTRAINT "dashboard_widgets_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboard_widgets" ADD CONSTRAINT "dashboard_widgets_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboard_widgets" ADD CONSTRAINT "dashboard_widgets_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250410145712_add_organization_scoped_api_keys
-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('ORGANIZATION', 'PROJECT');

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "organization_id" TEXT,
ADD COLUMN     "scope" "ApiKeyScope" NOT NULL DEFAULT 'PROJECT',
ALTER COLUMN "project_id" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "api_keys_organization_id_idx" ON "api_keys"("organization_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250420120553_add_organization_and_project_metadata
-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "metadata" JSONB;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "metadata" JSONB;

;
-- migration: 20250517173700_add_event_log_migration_background_migration.sql
INSERT INTO background_migrations (id, name, script, args)
VALUES ('c19b91d9-f9a2-468b-8209-95578f970c5b', '20250417_1737_migrate_event_log_to_blob_storage', 'migrateEventLogToBlobStorageRefTable', '{}');

;
-- migration: 20250517273700_add_table_view_presets.sql
-- CreateTable
CREATE TABLE "table_view_presets" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "created_by" TEXT,
    "updated_by" TEXT,
    "filters" JSONB NOT NULL,
    "column_order" JSONB NOT NULL,
    "column_visibility" JSONB NOT NULL,
    "search_query" TEXT,
    "order_by" JSONB,

    CONSTRAINT "table_view_presets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "table_view_presets_project_id_table_name_name_key" ON "table_view_presets"("project_id", "table_name", "name");

-- AddForeignKey
ALTER TABLE "table_view_presets" ADD CONSTRAINT "table_view_presets_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "table_view_presets" ADD CONSTRAINT "table_view_presets_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "table_view_presets" ADD CONSTRAINT "table_view_presets_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
;
-- migration: 20250519073249_add_trace_media_media_id_index
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "trace_media_project_id_media_id_idx" ON "trace_media"("project_id", "media_id");

;
-- migration: 20250519073327_add_observation_media_media_id_index
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "observation_media_project_id_media_id_idx" ON "observation_media"("project_id", "media_id");

;
-- migration: 20250519093327_media_add_index_project_id_id
-- Index cannot be created concurrently in a transaction, so we need to create it separately
-- Prerequisite for migration 20250518075613_media_relax_id_uniqueness_to_project_only
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "media_project_id_id_key" ON "media"("project_id", "id");

;
-- migration: 20250519093328_media_relax_id_uniqueness_to_project_only
/*
  Warnings:

  - The primary key for the `media` table will be changed. If it partially fails, the table could be left without primary key constraint.
  - A unique constraint covering the columns `[project_id,id]` on the table `media` will be added. If there are existing duplicate values, this will fail.

*/
-- DropForeignKey
ALTER TABLE "observation_media" DROP CONSTRAINT "observation_media_media_id_fkey";

-- DropForeignKey
ALTER TABLE "trace_media" DROP CONSTRAINT "trace_media_media_id_fkey";

-- AlterTable
ALTER TABLE "media" DROP CONSTRAINT "media_pkey";

-- AddForeignKey
ALTER TABLE "trace_media" ADD CONSTRAINT "trace_media_media_id_project_id_fkey" FOREIGN KEY ("media_id", "project_id") REFERENCES "media"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "observation_media" ADD CONSTRAINT "observation_media_media_id_project_id_fkey" FOREIGN KEY ("media_id", "project_id") REFERENCES "media"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250519145128_resize_dashboard_y_axis_components
/* Triple y and y_size in dashboards.definition->'widgets' */
WITH updated AS (
    SELECT
        id,
        CASE
            WHEN jsonb_array_length(definition->'widgets') = 0 THEN definition
            ELSE jsonb_set(
                definition,                             -- original JSON
                '{widgets}',                            -- path to replace
                (
                    SELECT jsonb_agg(                     -- rebuild widgets array
                    /* 1) y  * 3   2) y_size * 3       */
                                   jsonb_set(
                                           jsonb_set(widget, '{y}',
                                                     to_jsonb( ((widget->>'y')::int * 3) ),  /* y  */
                                                     true
                                           ),
                                           '{y_size}',
                                           to_jsonb( ((widget->>'y_size')::int * 3) ),/* y_size */
                                           true
                                   )
                           )
                    FROM jsonb_array_elements(definition->'widgets') AS widget
                ),
                true                                    -- create path if absent
            )
        END AS new_def
    FROM dashboards
)
UPDATE dashboards d
SET    definition = u.new_def
FROM   updated u
WHERE  d.id = u.id;

;
-- migration: 20250520123737_add_single_aggregate_chart_type
-- AlterEnum
ALTER TYPE "DashboardWidgetChartType" ADD VALUE 'NUMBER';

;
-- migration: 20250522140357_remove_obsolete_observation_media_index
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "observation_media_project_id_observation_id_idx";

;
-- migration: 20250523100511_add_default_eval_model_table
-- CreateTable
CREATE TABLE "default_llm_models" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "llm_api_key_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "adapter" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "model_params" JSONB,

    CONSTRAINT "default_llm_models_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "default_llm_models" ADD CONSTRAINT "default_llm_models_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "default_llm_models" ADD CONSTRAINT "default_llm_models_llm_api_key_id_fkey" FOREIGN KEY ("llm_api_key_id") REFERENCES "llm_api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddUniqueConstraint
ALTER TABLE "default_llm_models" ADD CONSTRAINT "default_llm_models_project_id_key" UNIQUE ("project_id");

;
-- migration: 20250523110540_modify_nullable_cols_eval_templates
-- AlterTable
ALTER TABLE "eval_templates" ALTER COLUMN "project_id" DROP NOT NULL;
ALTER TABLE "eval_templates" ALTER COLUMN "model" DROP NOT NULL;
ALTER TABLE "eval_templates" ALTER COLUMN "provider" DROP NOT NULL;
ALTER TABLE "eval_templates" ALTER COLUMN "model_params" DROP NOT NULL;
ALTER TABLE "eval_templates" ADD COLUMN "partner" TEXT;
;
-- migration: 20250523120545_add_nullable_job_template_id
-- AlterTable
ALTER TABLE "job_executions" ADD COLUMN "job_template_id" TEXT;
ALTER TABLE "job_executions" ADD CONSTRAINT "job_executions_job_template_id_fkey" FOREIGN KEY ("job_template_id") REFERENCES "eval_templates"("id") ON DELETE SET NULL;

;
-- migration: 20250529071241_make_blobstorage_integration_credentials_optional
-- AlterTable
ALTER TABLE "blob_storage_integrations" ALTER COLUMN "access_key_id" DROP NOT NULL,
ALTER COLUMN "secret_access_key" DROP NOT NULL;

;
-- migration: 20250604085536_add_histogram_chart_type
-- AlterEnum
ALTER TYPE "DashboardWidgetChartType" ADD VALUE 'HISTOGRAM';

;
-- migration: 20250625_add_pivot_table_charttype
-- Database migration to add PIVOT_TABLE chart type to DashboardWidgetChartType enum
-- This enables the creation of pivot table widgets in the dashboard system
-- 
-- This migration adds support for tabular data visualization with configurable
-- row dimensions and metrics, extending the existing widget types (line charts,
-- bar charts, pie charts, etc.) to include pivot table functionality.

-- AlterEnum
ALTER TYPE "DashboardWidgetChartType" ADD VALUE 'PIVOT_TABLE'; 
;
-- migration: 20250704170658_add_automations
-- CreateEnum
CREATE TYPE "ActionType" AS ENUM ('WEBHOOK');

-- CreateEnum
CREATE TYPE "ActionExecutionStatus" AS ENUM ('COMPLETED', 'ERROR', 'PENDING', 'CANCELLED');

-- CreateTable
CREATE TABLE "actions" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "type" "ActionType" NOT NULL,
    "config" JSONB NOT NULL,

    CONSTRAINT "actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "triggers" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "eventSource" TEXT NOT NULL,
    "eventActions" TEXT[],
    "filter" JSONB,
    "status" "JobConfigState" NOT NULL DEFAULT 'ACTIVE',

    CONSTRAINT "triggers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "automations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "action_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,

    CONSTRAINT "automations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "automation_executions" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source_id" TEXT NOT NULL,
    "automation_id" TEXT NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "action_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "status" "ActionExecutionStatus" NOT NULL DEFAULT 'PENDING',
    "input" JSONB NOT NULL,
    "output" JSONB,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "automation_executions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "actions_project_id_idx" ON "actions"("project_id");

-- CreateIndex
CREATE INDEX "triggers_project_id_idx" ON "triggers"("project_id");

-- CreateIndex
CREATE INDEX "automations_project_id_action_id_trigger_id_idx" ON "automations"("project_id", "action_id", "trigger_id");

-- CreateIndex
CREATE INDEX "automations_project_id_name_idx" ON "automations"("project_id", "name");

-- CreateIndex
CREATE INDEX "automation_executions_trigger_id_idx" ON "automation_executions"("trigger_id");

-- CreateIndex
CREATE INDEX "automation_executions_action_id_idx" ON "automation_executions"("action_id");

-- CreateIndex
CREATE INDEX "automation_executions_project_id_idx" ON "automation_executions"("project_id");

-- AddForeignKey
ALTER TABLE "actions" ADD CONSTRAINT "actions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automations" ADD CONSTRAINT "automations_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automations" ADD CONSTRAINT "automations_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automations" ADD CONSTRAINT "automations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_automation_id_fkey" FOREIGN KEY ("automation_id") REFERENCES "automations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "actions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_executions" ADD CONSTRAINT "automation_executions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250709113103_add_blob_export_schedule_type
-- CreateEnum
CREATE TYPE "BlobStorageExportMode" AS ENUM ('FULL_HISTORY', 'FROM_TODAY', 'FROM_CUSTOM_DATE');

-- AlterTable
ALTER TABLE "blob_storage_integrations" ADD COLUMN     "export_mode" "BlobStorageExportMode" NOT NULL DEFAULT 'FULL_HISTORY',
ADD COLUMN     "export_start_date" TIMESTAMP(3);

;
-- migration: 20250711105322_prices_add_project_id
-- AlterTable
ALTER TABLE "prices"
    ADD COLUMN "project_id" TEXT;

-- AddForeignKey
ALTER TABLE "prices"
    ADD CONSTRAINT "prices_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- BackfillData
UPDATE "prices"
SET "project_id" = (SELECT "models"."project_id"
                    FROM "models"
                    WHERE "models"."id" = "prices"."model_id");

;
-- migration: 20250711134738_add_patch_llm_tool_schema_audit_logs_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('3445cac4-d9d5-4750-8b65-351135c1b85e', '20250711_1347_patch_llm_tool_schema_audit_logs', 'patchLLMToolAndLLLMSchemaAuditLogs', '{}');
;
-- migration: 20250714151410_add_trace_session_combined_index
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "trace_sessions_project_id_created_at_idx" ON "trace_sessions"("project_id", "created_at" DESC);

;
-- migration: 20250714151410_remove_trace_session_created_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "trace_sessions_created_at_idx";

;
-- migration: 20250714151410_remove_trace_session_project_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "trace_sessions_project_id_idx";

;
-- migration: 20250714151410_remove_trace_session_updated_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "trace_sessions_updated_at_idx";

;
-- migration: 20250724114251_add_webhooks_datasets
-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "remote_experiment_payload" JSONB,
ADD COLUMN     "remote_experiment_url" TEXT;

;
-- migration: 20250724160133_add_session_object_type_annoation_queue_items
-- AlterEnum
ALTER TYPE "AnnotationQueueObjectType" ADD VALUE 'SESSION';

;
-- migration: 20250730100100_add_slack_integration
-- Migration: Add Slack Integration Support
-- This migration adds support for Slack automation actions by:
-- 1. Adding SLACK to the ActionType enum
-- 2. Creating slack_integrations table for centralized token storage

-- AlterEnum
ALTER TYPE "ActionType" ADD VALUE 'SLACK';

-- CreateTable
CREATE TABLE "slack_integrations" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "team_name" TEXT NOT NULL,
    "bot_token" TEXT NOT NULL,
    "bot_user_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_integrations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slack_integrations_project_id_key" ON "slack_integrations"("project_id");

-- CreateIndex
CREATE INDEX "slack_integrations_team_id_idx" ON "slack_integrations"("team_id");

-- AddForeignKey
ALTER TABLE "slack_integrations" ADD CONSTRAINT "slack_integrations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE; 
;
-- migration: 20250731100100_add_dataset_run_items_pg_to_ch_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('8d47f91b-3e5c-4a26-9f85-c12d6e4b9a3d', '20250731_1001_migrate_dataset_run_items_pg_to_ch', 'migrateDatasetRunItemsFromPostgresToClickhouse', '{}');
;
-- migration: 20250731202005_add_trace_deletion_table
-- CreateTable
CREATE TABLE "pending_deletions" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "object_id" TEXT NOT NULL,
    "is_deleted" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_deletions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pending_deletions_project_id_object_is_deleted_idx" ON "pending_deletions"("project_id", "object", "is_deleted");

-- CreateIndex
CREATE INDEX "pending_deletions_object_id_object_idx" ON "pending_deletions"("object_id", "object");

-- AddForeignKey
ALTER TABLE "pending_deletions" ADD CONSTRAINT "pending_deletions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250806100613_add_annotation_queue_assignment_table
-- CreateTable
CREATE TABLE "annotation_queue_assignments" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "queue_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "annotation_queue_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "annotation_queue_assignments_project_id_queue_id_key" ON "annotation_queue_assignments"("project_id", "queue_id", "user_id");

-- AddForeignKey
ALTER TABLE "annotation_queue_assignments" ADD CONSTRAINT "annotation_queue_assignments_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation_queue_assignments" ADD CONSTRAINT "annotation_queue_assignments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "annotation_queue_assignments" ADD CONSTRAINT "annotation_queue_assignments_queue_id_fkey" FOREIGN KEY ("queue_id") REFERENCES "annotation_queues"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20250808081624_add_surveys_table
-- CreateEnum
CREATE TYPE "SurveyName" AS ENUM ('org_onboarding', 'user_onboarding');

-- CreateTable
CREATE TABLE "surveys" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "survey_name" "SurveyName" NOT NULL,
    "response" JSONB NOT NULL,
    "user_id" TEXT,
    "user_email" TEXT,
    "org_id" TEXT,

    CONSTRAINT "surveys_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- RenameIndex
ALTER INDEX "annotation_queue_assignments_project_id_queue_id_key" RENAME TO "annotation_queue_assignments_project_id_queue_id_user_id_key";

;
-- migration: 20250814090100_remove_dataset_run_items_pg_to_ch_background_migration
DELETE FROM background_migrations WHERE id = '8d47f91b-3e5c-4a26-9f85-c12d6e4b9a3d';

;
-- migration: 20250814100100_add_dataset_run_items_rmt_pg_to_ch_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('9f32e84c-7b1d-4f59-a803-d67ae5c9b2e8', '20250814_1001_migrate_dataset_run_items_rmt_pg_to_ch', 'migrateDatasetRunItemsFromPostgresToClickhouseRmt', '{}');
;
-- migration: 20250820143856_add_observation_types
-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ObservationType" ADD VALUE 'AGENT';
ALTER TYPE "ObservationType" ADD VALUE 'TOOL';
ALTER TYPE "ObservationType" ADD VALUE 'CHAIN';
ALTER TYPE "ObservationType" ADD VALUE 'RETRIEVER';
ALTER TYPE "ObservationType" ADD VALUE 'EVALUATOR';
ALTER TYPE "ObservationType" ADD VALUE 'EMBEDDING';
ALTER TYPE "ObservationType" ADD VALUE 'GUARDRAIL';

;
-- migration: 20250820143857_optimize_job_execution_indices_drop_job_executions_created_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_created_at_idx";
;
-- migration: 20250820143858_optimize_job_execution_indices_drop_job_executions_job_configuration_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_job_configuration_id_idx";

;
-- migration: 20250820143859_optimize_job_execution_indices_drop_job_executions_job_input_trace_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_job_input_trace_id_idx";


;
-- migration: 20250820143860_optimize_job_execution_indices_drop_job_executions_job_output_score_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_job_output_score_id_idx";


;
-- migration: 20250820143861_optimize_job_execution_indices_drop_job_executions_updated_at_idx
-- DropIndex
DROP INDEX CONCURRENTLY "job_executions_updated_at_idx";
;
-- migration: 20250820143862_optimize_job_execution_indices_create_job_executions_project_id_job_configuration_id_job_input_tr_idx
-- CreateIndex
CREATE INDEX CONCURRENTLY "job_executions_project_id_job_configuration_id_job_input_tr_idx" ON "job_executions"("project_id", "job_configuration_id", "job_input_trace_id");

;
-- migration: 20250822135300_add_dashboard_filters
-- AlterTable
ALTER TABLE "dashboards" ADD COLUMN     "filters" JSONB NOT NULL DEFAULT '[]';

;
-- migration: 20250825100104_job_executions_add_input_trace_timestamp
-- AlterTable
ALTER TABLE "job_executions" ADD COLUMN     "job_input_trace_timestamp" TIMESTAMP(3);

;
-- migration: 20250925133604_organizations_add_ai_features_enabled
-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "ai_features_enabled" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20250930125453_job_executions_add_output_score_index
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "job_executions_project_id_job_output_score_id_idx" ON "job_executions"("project_id", "job_output_score_id");

;
-- migration: 20251001161539_organization_cloud_billing_cycle_columns
-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "cloud_billing_cycle_anchor" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "cloud_billing_cycle_updated_at" TIMESTAMP(3),
ADD COLUMN     "cloud_current_cycle_usage" INTEGER,
ADD COLUMN     "cloud_free_tier_usage_threshold_state" TEXT;

-- Backfill cloud_billing_cycle_anchor for existing organizations:
-- Step 1: Set to NULL for orgs WITH active subscriptions (will be backfilled from Stripe by worker job)
UPDATE "organizations"
SET "cloud_billing_cycle_anchor" = NULL;

-- Step 2: Set to created_at for orgs WITHOUT active subscriptions (free tier orgs)
UPDATE "organizations"
SET "cloud_billing_cycle_anchor" = "created_at"
WHERE
    "cloud_config" IS NULL
    OR NOT (
      "cloud_config"::jsonb -> 'stripe' ? 'activeSubscriptionId'
      AND "cloud_config"::jsonb -> 'stripe' ->> 'activeSubscriptionId' IS NOT NULL
      AND "cloud_config"::jsonb -> 'stripe' ->> 'activeSubscriptionId' != ''
    );

;
-- migration: 20251002153814_add_backfill_billing_cycle_anchors_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('0199b890-1093-7d1f-b662-be3c03527e93', '20250102_backfill_billing_cycle_anchors', 'backfillBillingCycleAnchors', '{}');

;
-- migration: 20251006173445_add_cloud_spend_alerts
-- CreateTable
CREATE TABLE "cloud_spend_alerts" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "threshold" DECIMAL(65,30) NOT NULL,
    "triggered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cloud_spend_alerts_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "cloud_spend_alerts" ADD CONSTRAINT "cloud_spend_alerts_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
;
-- migration: 20251006173446_optimize_cloud_spend_alerts_add_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "cloud_spend_alerts_org_id_idx" ON "cloud_spend_alerts"("org_id");


;
-- migration: 20251013134801_drop_atla_llm_keys
DELETE FROM "llm_api_keys" WHERE adapter = 'atla'

;
-- migration: 20251014161635_job_executions_add_execution_trace_id
-- AlterTable
ALTER TABLE "job_executions" ADD COLUMN "execution_trace_id" TEXT;

-- AlterEnum
ALTER TYPE "JobExecutionStatus" ADD VALUE 'DELAYED';

;
-- migration: 20251024193002_add_mixpanel_integration
-- CreateTable
CREATE TABLE "mixpanel_integrations" (
    "project_id" TEXT NOT NULL,
    "encrypted_mixpanel_project_token" TEXT NOT NULL,
    "mixpanel_region" TEXT NOT NULL,
    "last_sync_at" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mixpanel_integrations_pkey" PRIMARY KEY ("project_id")
);

-- AddForeignKey
ALTER TABLE "mixpanel_integrations" ADD CONSTRAINT "mixpanel_integrations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20251028143653_add_notification_preferences
-- CreateEnum
-- Extend by adding: IN_APP, SLACK
CREATE TYPE "NotificationChannel" AS ENUM ('EMAIL');

-- CreateEnum
-- Extend by adding: COMMENT_REPLY, COMMENT_NEW, EVAL_COMPLETE, EXPORT_READY
CREATE TYPE "NotificationType" AS ENUM ('COMMENT_MENTION');

-- CreateTable
CREATE TABLE "notification_preferences" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "type" "NotificationType" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20251028143654_add_notification_preferences_redundant_index

-- CreateIndex
CREATE UNIQUE INDEX CONCURRENTLY "notification_preferences_user_id_project_id_channel_type_key" ON "notification_preferences"("user_id", "project_id", "channel", "type");

;
-- migration: 20251029000042_add_comment_reactions
-- CreateTable
CREATE TABLE "comment_reactions" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "comment_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "emoji" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "comment_reactions_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_comment_id_fkey" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "comment_reactions" ADD CONSTRAINT "comment_reactions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20251029000045_add_comment_reaction_idx3
-- CreateIndex
CREATE UNIQUE INDEX CONCURRENTLY "comment_reactions_comment_id_user_id_emoji_key" ON "comment_reactions"("comment_id", "user_id", "emoji");
;
-- migration: 20251104091248_add_dataset_schema_enforcement
-- AlterTable
ALTER TABLE "datasets"
ADD COLUMN "expected_output_schema" JSON,
ADD COLUMN "input_schema" JSON;

;
-- migration: 20251118153536_add_dataset_item_event_table
-- CreateTable
CREATE TABLE "dataset_item_events" (
    "id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    "status" "DatasetStatus",
    "input" JSONB,
    "expected_output" JSONB,
    "metadata" JSONB,
    "source_trace_id" TEXT,
    "source_observation_id" TEXT,
    "created_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "dataset_item_events_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "dataset_item_events" ADD CONSTRAINT "dataset_item_events_dataset_id_project_id_fkey" FOREIGN KEY ("dataset_id", "project_id") REFERENCES "datasets"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20251118162943_add_idx_dataset_item_events
-- CreateIndex
CREATE INDEX "dataset_item_events_project_id_dataset_id_item_id_created_at_idx" ON "dataset_item_events"("project_id", "dataset_id", "item_id", "created_at");
;
-- migration: 20251126000000_add_comment_search_indexes
-- Full-text search index for comment content filtering
-- This enables efficient text search queries on comment content
-- Uses PostgreSQL's built-in full-text search with GIN index
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_comments_content_gin
ON comments USING gin(to_tsvector('english', content));

;
-- migration: 20251127105316_add_pricing_tiers
BEGIN;

-- CreateTable
CREATE TABLE "pricing_tiers" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "model_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "priority" INTEGER NOT NULL,
    "conditions" JSONB NOT NULL,

    CONSTRAINT "pricing_tiers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "pricing_tiers_model_id_priority_key" ON "pricing_tiers"("model_id", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "pricing_tiers_model_id_name_key" ON "pricing_tiers"("model_id", "name");

-- AddForeignKey
ALTER TABLE "pricing_tiers" ADD CONSTRAINT "pricing_tiers_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "prices" ADD COLUMN "pricing_tier_id" TEXT;

-- Data Migration: Create default pricing tiers with DETERMINISTIC IDs
-- Pattern: {model_id}_tier_default
INSERT INTO "pricing_tiers" (id, model_id, name, is_default, priority, conditions)
SELECT
  model_id || '_tier_default',
  model_id,
  'Standard',
  TRUE,
  0,
  '[]'::jsonb
FROM (
  SELECT DISTINCT model_id
  FROM prices
  WHERE pricing_tier_id IS NULL
) AS distinct_models
ON CONFLICT (id) DO NOTHING;

-- Data Migration: Link existing prices to their default tiers using deterministic IDs
UPDATE prices
SET pricing_tier_id = model_id || '_tier_default'
WHERE pricing_tier_id IS NULL;

-- AlterTable: Make pricing_tier_id NOT NULL
ALTER TABLE "prices" ALTER COLUMN "pricing_tier_id" SET NOT NULL;

-- AddForeignKey
ALTER TABLE "prices" ADD CONSTRAINT "prices_pricing_tier_id_fkey" FOREIGN KEY ("pricing_tier_id") REFERENCES "pricing_tiers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- DropIndex
DROP INDEX IF EXISTS "prices_model_id_usage_type_key";

-- CreateIndex
CREATE UNIQUE INDEX "prices_model_id_usage_type_pricing_tier_id_key" ON "prices"("model_id", "usage_type", "pricing_tier_id");

COMMIT;

;
-- migration: 20251127181728_add_prices_index_on_pricing_tier_id
-- CreateIndex
CREATE INDEX CONCURRENTLY "prices_pricing_tier_id_idx" ON "prices"("pricing_tier_id");

;
-- migration: 20251201095227_dataset_items_add_version_cols
BEGIN;

-- 1. Add columns 
ALTER TABLE "dataset_items" 
    ADD COLUMN "is_deleted" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "sys_id" TEXT, 
    ADD COLUMN "valid_from" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ALTER COLUMN "status" DROP NOT NULL;

-- 2. Set default for NEW rows
ALTER TABLE "dataset_items" 
    ALTER COLUMN "sys_id" SET DEFAULT md5(random()::text || clock_timestamp()::text)::uuid::text;

COMMIT;
;
-- migration: 20251204213345_add_github_dispatch_action_type
-- Migration: Add GitHub Dispatch Action Type
-- This migration adds support for GitHub repository dispatch actions by:
-- 1. Adding GITHUB_DISPATCH to the ActionType enum

-- AlterEnum
ALTER TYPE "ActionType" ADD VALUE 'GITHUB_DISPATCH';

;
-- migration: 20251208121203_dataset_run_items_drop_fk_dataset_items
-- DropForeignKey
ALTER TABLE "dataset_run_items" DROP CONSTRAINT "dataset_run_items_dataset_item_id_project_id_fkey";

;
-- migration: 20251210130559_add_batch_action_table
-- CreateTable
CREATE TABLE "batch_actions" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "action_type" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "finished_at" TIMESTAMP(3),
    "query" JSONB NOT NULL,
    "config" JSONB,
    "total_count" INTEGER,
    "processed_count" INTEGER,
    "failed_count" INTEGER,
    "log" TEXT,

    CONSTRAINT "batch_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "batch_actions_project_id_user_id_idx" ON "batch_actions"("project_id", "user_id");

-- CreateIndex
CREATE INDEX "batch_actions_status_idx" ON "batch_actions"("status");

-- CreateIndex
CREATE INDEX "batch_actions_project_id_action_type_idx" ON "batch_actions"("project_id", "action_type");

-- AddForeignKey
ALTER TABLE "batch_actions" ADD CONSTRAINT "batch_actions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20251210133946_dataset_items_create_idx_id_project_id_valid_from
/*
  Warnings:

  - A unique constraint covering the columns `[id,project_id,valid_from]` on the table `dataset_items` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateIndex
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "dataset_items_id_project_id_valid_from_key" ON "dataset_items"("id", "project_id", "valid_from");


;
-- migration: 20251211204006_dataset_items_switch_pk
/*
  Warnings:

  - The primary key for the `dataset_items` table will be changed. If it partially fails, the table could be left without primary key constraint.

*/
-- AlterTable
ALTER TABLE "dataset_items" DROP CONSTRAINT "dataset_items_pkey",
ADD CONSTRAINT "dataset_items_pkey" PRIMARY KEY USING INDEX "dataset_items_id_project_id_valid_from_key";

;
-- migration: 20251215230232_dataset_items_add_idx_project_id_id_valid_from
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "dataset_items_project_id_id_valid_from_idx" ON "dataset_items"("project_id", "id", "valid_from");
;
-- migration: 20251215233730_dataset_items_add_valid_to
-- AlterTable
ALTER TABLE "dataset_items" ADD COLUMN "valid_to" TIMESTAMP(3);

;
-- migration: 20251215233903_dataset_items_add_idx_project_id_valid_to
-- CreateIndex
CREATE INDEX "dataset_items_project_id_valid_to_idx" ON "dataset_items"("project_id", "valid_to");

;
-- migration: 20251215233905_backfill_dataset_items_valid_to
INSERT INTO background_migrations (id, name, script, args)
VALUES ('d4f5a6b7-c8d9-4e1f-a2b3-c4d5e6f7a8b8', '20251216_1001_backfill_dataset_items_valid_to', 'backfillValidToForDatasetItems', '{}');
;
-- migration: 20251218102933_score_configs_rename_score_data_type_enum
/*
  Warnings:

  - Changed the type of `data_type` on the `score_configs` table. No cast exists, the column would be dropped and recreated, which cannot be done if there is data, since the column is required.

*/
-- Rename enum
ALTER TYPE "ScoreDataType" RENAME TO "ScoreConfigDataType";
;
-- migration: 20260106120000_add_encrypt_blob_storage_secrets_background_migration
INSERT INTO background_migrations (id, name, script, args)
VALUES ('01a0c890-2094-8e2f-c773-cf4d14638fa4', '20260106_encrypt_blob_storage_secrets', 'encryptBlobStorageSecrets', '{}');

;
-- migration: 20260106130000_add_inline_comment_columns
-- Add inline comment positioning columns to comments table
-- These columns enable character-based inline comments on trace/observation IO

-- data_field: which IO field the comment is on ('input' | 'output' | 'metadata')
ALTER TABLE "comments" ADD COLUMN "data_field" TEXT;

-- path: JSON Path expressions array, e.g., ["$.messages[1].text"]
ALTER TABLE "comments" ADD COLUMN "path" TEXT[] DEFAULT '{}';

-- range_start: start offsets per path (inclusive), UTF-16 code units
ALTER TABLE "comments" ADD COLUMN "range_start" INTEGER[] DEFAULT '{}';

-- range_end: end offsets per path (exclusive), UTF-16 code units
ALTER TABLE "comments" ADD COLUMN "range_end" INTEGER[] DEFAULT '{}';

;
-- migration: 20260113102907_dataset_items_drop_sys_id_col
/*
  Warnings:

  - You are about to drop the column `sys_id` on the `dataset_items` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "dataset_items" DROP COLUMN "sys_id";


;
-- migration: 20260113112907_dataset_item_events_drop_fk_datasets
-- DropForeignKey
ALTER TABLE "dataset_item_events" DROP CONSTRAINT "dataset_item_events_dataset_id_project_id_fkey";


;
-- migration: 20260113114006_dataset_item_events_drop_table
/*
  Warnings:

  - You are about to drop the `dataset_item_events` table. If the table is not empty, all the data it contains will be lost.

*/
-- DropTable
DROP TABLE "dataset_item_events";

;
-- migration: 20260122124934_add_export_source_to_analytics_integrations
-- CreateEnum
CREATE TYPE "AnalyticsIntegrationExportSource" AS ENUM ('TRACES_OBSERVATIONS', 'TRACES_OBSERVATIONS_EVENTS', 'EVENTS');

-- AlterTable
ALTER TABLE "blob_storage_integrations" ADD COLUMN     "export_source" "AnalyticsIntegrationExportSource" NOT NULL DEFAULT 'TRACES_OBSERVATIONS';

-- AlterTable
ALTER TABLE "mixpanel_integrations" ADD COLUMN     "export_source" "AnalyticsIntegrationExportSource" NOT NULL DEFAULT 'TRACES_OBSERVATIONS';

-- AlterTable
ALTER TABLE "posthog_integrations" ADD COLUMN     "export_source" "AnalyticsIntegrationExportSource" NOT NULL DEFAULT 'TRACES_OBSERVATIONS';

;
-- migration: 20260129183823_add_media_project_id_created_at_index
-- CreateIndex
CREATE INDEX CONCURRENTLY "media_project_id_created_at_idx" ON "media"("project_id", "created_at");

;
-- migration: 20260130000000_add_v4_beta_enabled
ALTER TABLE "users" ADD COLUMN "v4_beta_enabled" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20260203102941_job_execution_add_dataset_version_col
-- AlterTable
ALTER TABLE "job_executions" ADD COLUMN     "job_input_dataset_item_valid_from" TIMESTAMP(3);

;
-- migration: 20260203220623_pending_deletions_object_id_idx
-- DropIndex
DROP INDEX IF EXISTS "pending_deletions_project_id_object_is_deleted_idx";

-- CreateIndex
CREATE INDEX IF NOT EXISTS "pending_deletions_project_id_object_is_deleted_object_id_id_idx"
ON "pending_deletions"("project_id", "object", "is_deleted", "object_id", "id");

;
-- migration: 20260209000000_add_project_has_traces
ALTER TABLE "projects" ADD COLUMN "has_traces" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20260211132728_add_chart_type_area_time_series
ALTER TYPE "DashboardWidgetChartType" ADD VALUE 'AREA_TIME_SERIES';

;
-- migration: 20260211164349_add_default_views
CREATE TABLE "default_views" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT,
    "view_name" TEXT NOT NULL,
    "view_id" TEXT NOT NULL,

    CONSTRAINT "default_views_pkey" PRIMARY KEY ("id")
);

-- Partial unique indexes for PostgreSQL 12+ compatibility
-- (PostgreSQL 15+ has NULLS NOT DISTINCT, but we need to support older versions)

-- User-level defaults: one default per (project, user, viewName)
CREATE UNIQUE INDEX "default_views_project_user_view_key"
ON "default_views" ("project_id", "user_id", "view_name")
WHERE "user_id" IS NOT NULL;

-- Project-level defaults: one default per (project, viewName) when user_id is NULL
CREATE UNIQUE INDEX "default_views_project_view_key"
ON "default_views" ("project_id", "view_name")
WHERE "user_id" IS NULL;

-- Index for lookups by project and view name
CREATE INDEX "default_views_project_id_view_name_idx" ON "default_views"("project_id", "view_name");

ALTER TABLE "default_views" ADD CONSTRAINT "default_views_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "default_views" ADD CONSTRAINT "default_views_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20260224000000_add_widget_version
ALTER TABLE "dashboard_widgets" ADD COLUMN IF NOT EXISTS "min_version" INTEGER NOT NULL DEFAULT 1;

;
-- migration: 20260306143000_add_eval_config_block_fields
-- CreateEnum
CREATE TYPE "EvaluatorBlockReason" AS ENUM (
'LLM_CONNECTION_AUTH_INVALID',
'LLM_CONNECTION_MISSING',
'DEFAULT_EVAL_MODEL_MISSING',
'EVAL_MODEL_CONFIG_INVALID',
'EVAL_MODEL_UNAVAILABLE',
'PROVIDER_ACCOUNT_NOT_READY'
);

-- AlterTable
ALTER TABLE "job_configurations"
ADD COLUMN "blocked_at" TIMESTAMP(3),
ADD COLUMN "block_reason" "EvaluatorBlockReason",
ADD COLUMN "block_message" TEXT;

;
-- migration: 20260312000000_add_blob_storage_integration_error_fields
ALTER TABLE "blob_storage_integrations" ADD COLUMN IF NOT EXISTS "last_error" TEXT;
ALTER TABLE "blob_storage_integrations" ADD COLUMN IF NOT EXISTS "last_error_at" TIMESTAMP(3);

;
-- migration: 20260316000000_add_blob_storage_failure_notification_sent_at
ALTER TABLE "blob_storage_integrations" ADD COLUMN IF NOT EXISTS "last_failure_notification_sent_at" TIMESTAMP(3);

;
-- migration: 20260318100000_drop_job_executions_project_id_status_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "job_executions_project_id_status_idx";

;
-- migration: 20260318100001_drop_job_executions_project_id_id_idx
-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "job_executions_project_id_id_idx";

;
-- migration: 20260323000000_add_blob_storage_compression
-- AlterTable
-- Backfill existing columns with value false, but use true as the default for newly created rows.
ALTER TABLE "blob_storage_integrations" ADD COLUMN "compressed" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "blob_storage_integrations" ALTER COLUMN "compressed" SET DEFAULT true;

;
-- migration: 20260324000000_add_job_executions_job_configuration_id_idx
-- CreateIndex
CREATE INDEX CONCURRENTLY IF NOT EXISTS "job_executions_job_configuration_id_idx" ON "job_executions"("job_configuration_id");

;
-- migration: 20260327000000_add_free_form_score_config_data_type
-- AlterEnum
ALTER TYPE "ScoreConfigDataType" ADD VALUE 'TEXT';

;
-- migration: 20260423084654_add_datasets_remote_experiment_enabled_col
-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "remote_experiment_enabled" BOOLEAN NOT NULL DEFAULT true;

;
-- migration: 20260506000000_add_blob_storage_export_field_groups
-- AlterTable
ALTER TABLE IF EXISTS "blob_storage_integrations"
  ADD COLUMN IF NOT EXISTS "export_field_groups" TEXT[]
  NOT NULL DEFAULT ARRAY['core','basic','time','io','metadata','model','usage','prompt','metrics','tools','trace_context'];

;
-- migration: 20260506144028_add_verified_domains
-- CreateTable
CREATE TABLE "verified_domains" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "verification_token" TEXT NOT NULL,
    "verified_at" TIMESTAMP(3),
    "created_by_user_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verified_domains_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "verified_domains_domain_key" ON "verified_domains"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "verified_domains_verification_token_key" ON "verified_domains"("verification_token");

-- CreateIndex
CREATE INDEX "verified_domains_organization_id_idx" ON "verified_domains"("organization_id");

-- AddForeignKey
ALTER TABLE "verified_domains" ADD CONSTRAINT "verified_domains_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20260507120000_share_pending_verified_domains
-- Pending claims are now shareable across orgs; verified claims remain
-- exclusive. Drop the global uniqueness on `domain` and replace it with:
--   1. a per-org uniqueness on (organization_id, domain) for idempotency
--   2. a partial unique index on `domain` where verified_at IS NOT NULL,
--      so at most one org can hold a verified claim for any given domain.

DROP INDEX "verified_domains_domain_key";

CREATE UNIQUE INDEX "verified_domains_organization_id_domain_key"
  ON "verified_domains" ("organization_id", "domain");

CREATE UNIQUE INDEX "verified_domains_domain_verified_key"
  ON "verified_domains" ("domain")
  WHERE "verified_at" IS NOT NULL;

;
-- migration: 20260518090000_add_code_eval_template_fields
-- CreateEnum
CREATE TYPE "EvalTemplateType" AS ENUM ('LLM_AS_JUDGE', 'CODE');

-- CreateEnum
CREATE TYPE "EvalTemplateSourceCodeLanguage" AS ENUM ('PYTHON', 'TYPESCRIPT');

-- AlterTable
ALTER TABLE "eval_templates"
ADD COLUMN "type" "EvalTemplateType" NOT NULL DEFAULT 'LLM_AS_JUDGE',
ADD COLUMN "source_code" VARCHAR(262144),
ADD COLUMN "source_code_language" "EvalTemplateSourceCodeLanguage";

ALTER TABLE "eval_templates"
ALTER COLUMN "prompt" DROP NOT NULL,
ALTER COLUMN "output_schema" DROP NOT NULL;

;
-- migration: 20260518092907_add_monitors
-- CreateEnum
CREATE TYPE "MonitorThresholdOperator" AS ENUM ('GT', 'GTE', 'LT', 'LTE', 'EQ', 'NEQ');

-- CreateEnum
CREATE TYPE "MonitorView" AS ENUM ('OBSERVATIONS', 'SCORES_NUMERIC', 'SCORES_CATEGORICAL');

-- CreateEnum
CREATE TYPE "MonitorSeverity" AS ENUM ('UNKNOWN', 'OK', 'WARNING', 'ALERT', 'NO_DATA');

-- CreateEnum
CREATE TYPE "MonitorStatus" AS ENUM ('ACTIVE', 'PAUSED', 'ERROR_BAD_QUERY');

-- CreateTable
CREATE TABLE "monitors" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "updated_by" TEXT,
    "project_id" TEXT NOT NULL,
    "view" "MonitorView" NOT NULL,
    "filters" JSONB NOT NULL,
    "metric" JSONB NOT NULL,
    "window_ms" BIGINT NOT NULL,
    "cadence_ms" BIGINT NOT NULL,
    "threshold_operator" "MonitorThresholdOperator" NOT NULL,
    "alert_threshold" DECIMAL(65,30) NOT NULL,
    "warning_threshold" DECIMAL(65,30),
    "severity" "MonitorSeverity" NOT NULL DEFAULT 'UNKNOWN',
    "severity_changed_at" TIMESTAMP(3),
    "no_data" JSONB NOT NULL,
    "renotify" JSONB NOT NULL,
    "status" "MonitorStatus" NOT NULL DEFAULT 'ACTIVE',
    "scheduler_batch_id" BIGINT NOT NULL,
    "next_run_at" TIMESTAMP(3) NOT NULL,
    "last_published_run_at" TIMESTAMP(3),
    "last_completed_run_at" TIMESTAMP(3),
    "name" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "alerted_at" TIMESTAMP(3),

    CONSTRAINT "monitors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "monitors_project_id_idx" ON "monitors"("project_id");

-- CreateIndex
CREATE INDEX "monitors_scheduler_batch_id_idx" ON "monitors"("scheduler_batch_id");

-- CreateIndex
CREATE INDEX "monitors_scheduler_tick_idx" ON "monitors"("next_run_at", "scheduler_batch_id");

-- AddForeignKey
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20260521000000_monitor_severity_status_reorder_drop_message
-- AlterEnum: reorder MonitorSeverity so DESC sorts most-critical first
-- (ALERT, WARNING, OK, NO_DATA, UNKNOWN).
BEGIN;
CREATE TYPE "MonitorSeverity_new" AS ENUM ('UNKNOWN', 'NO_DATA', 'OK', 'WARNING', 'ALERT');
ALTER TABLE "monitors" ALTER COLUMN "severity" DROP DEFAULT;
ALTER TABLE "monitors" ALTER COLUMN "severity" TYPE "MonitorSeverity_new" USING ("severity"::text::"MonitorSeverity_new");
ALTER TYPE "MonitorSeverity" RENAME TO "MonitorSeverity_old";
ALTER TYPE "MonitorSeverity_new" RENAME TO "MonitorSeverity";
DROP TYPE "MonitorSeverity_old";
ALTER TABLE "monitors" ALTER COLUMN "severity" SET DEFAULT 'UNKNOWN';
COMMIT;

-- AlterEnum: reorder MonitorStatus so DESC sorts in attention-priority order
-- (ERROR_BAD_QUERY, ACTIVE, PAUSED).
BEGIN;
CREATE TYPE "MonitorStatus_new" AS ENUM ('PAUSED', 'ACTIVE', 'ERROR_BAD_QUERY');
ALTER TABLE "monitors" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "monitors" ALTER COLUMN "status" TYPE "MonitorStatus_new" USING ("status"::text::"MonitorStatus_new");
ALTER TYPE "MonitorStatus" RENAME TO "MonitorStatus_old";
ALTER TYPE "MonitorStatus_new" RENAME TO "MonitorStatus";
DROP TYPE "MonitorStatus_old";
ALTER TABLE "monitors" ALTER COLUMN "status" SET DEFAULT 'ACTIVE';
COMMIT;

-- AlterTable: drop the unused message column (templating removed for v1).
ALTER TABLE "monitors" DROP COLUMN "message";

;
-- migration: 20260521130000_add_in_app_agent_api_key_marker
ALTER TABLE "api_keys" ADD COLUMN "is_in_app_agent_key" BOOLEAN NOT NULL DEFAULT false;

;
-- migration: 20260522113010_add_paused_monitor_severity
-- Add PAUSED to MonitorSeverity (positioned first so `severity DESC` sinks
-- paused monitors to the bottom) and backfill non-ACTIVE rows. The enum is
-- recreated rather than evolved via ALTER TYPE ADD VALUE so the new value is
-- usable in the same migration's backfill (Postgres otherwise requires a
-- separate transaction before a newly-added enum value can be referenced).
ALTER TYPE "MonitorSeverity" RENAME TO "MonitorSeverity_old";

CREATE TYPE "MonitorSeverity" AS ENUM (
  'PAUSED',
  'UNKNOWN',
  'NO_DATA',
  'OK',
  'WARNING',
  'ALERT'
);

ALTER TABLE monitors
  ALTER COLUMN severity DROP DEFAULT,
  ALTER COLUMN severity TYPE "MonitorSeverity"
    USING severity::text::"MonitorSeverity",
  ALTER COLUMN severity SET DEFAULT 'UNKNOWN'::"MonitorSeverity";

DROP TYPE "MonitorSeverity_old";

-- Backfill existing non-ACTIVE rows (PAUSED + ERROR_BAD_QUERY) so the list
-- view renders them with the new "paused" appearance from the first deploy.
-- New transitions are written by MonitorService.update going forward.
UPDATE monitors SET severity = 'PAUSED' WHERE status <> 'ACTIVE';

ALTER TABLE "monitors" ADD COLUMN "trigger_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

;
-- migration: 20260527110000_monitor_wallclock_lifecycle
ALTER TABLE "monitors" ALTER COLUMN "next_run_at" DROP NOT NULL;

ALTER TABLE "monitors" RENAME COLUMN "last_published_run_at" TO "last_published_at";

ALTER TABLE "monitors" RENAME COLUMN "last_completed_run_at" TO "last_completed_at";

ALTER TABLE "monitors" ADD COLUMN "last_claimed_at" TIMESTAMP(3);

CREATE INDEX "monitors_scheduler_rescue_idx" ON "monitors"("last_published_at")
  WHERE "last_completed_at" IS NULL OR "last_completed_at" < "last_published_at";

;
-- migration: 20260529120000_add_organization_ai_telemetry_enabled
ALTER TABLE "organizations" ADD COLUMN "ai_telemetry_enabled" BOOLEAN NOT NULL DEFAULT true;

;
-- migration: 20260601190000_add_in_app_agent_persistence
CREATE TYPE "InAppAgentConversationVisibilityScope" AS ENUM ('PERSONAL', 'PROJECT');

CREATE TABLE "in_app_agent_conversations" (
  "id" TEXT NOT NULL,
  "project_id" TEXT NOT NULL,
  "created_by_user_id" TEXT,
  "title" TEXT,
  "visibility_scope" "InAppAgentConversationVisibilityScope" NOT NULL DEFAULT 'PERSONAL',
  "provider_session_id" TEXT,
  "deleted_at" TIMESTAMP(3),
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

  CONSTRAINT "in_app_agent_conversations_pkey" PRIMARY KEY ("id", "project_id")
);

CREATE TABLE "in_app_agent_runs" (
  "id" TEXT NOT NULL,
  "project_id" TEXT NOT NULL,
  "conversation_id" TEXT NOT NULL,
  "triggered_by_user_id" TEXT,
  "model" TEXT,
  "mcp_api_key_id" TEXT,
  "error_code" TEXT,
  "error_message" TEXT,
  "finished_at" TIMESTAMP(3),
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

  CONSTRAINT "in_app_agent_runs_pkey" PRIMARY KEY ("id", "project_id")
);

CREATE TABLE "in_app_agent_events" (
  "project_id" TEXT NOT NULL,
  "conversation_id" TEXT NOT NULL,
  "run_id" TEXT NOT NULL,
  "sequence_number" INTEGER NOT NULL,
  "type" TEXT NOT NULL,
  "event" JSONB NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

  CONSTRAINT "in_app_agent_events_pkey" PRIMARY KEY ("project_id", "conversation_id", "sequence_number")
);

CREATE INDEX "in_app_agent_conversations_project_user_list_idx" ON "in_app_agent_conversations"("project_id", "created_by_user_id", "deleted_at", "updated_at", "id");
CREATE INDEX "in_app_agent_events_project_run_idx" ON "in_app_agent_events"("project_id", "run_id");
CREATE INDEX "in_app_agent_runs_project_conversation_created_idx" ON "in_app_agent_runs"("project_id", "conversation_id", "created_at");

ALTER TABLE "in_app_agent_conversations" ADD CONSTRAINT "in_app_agent_conversations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "in_app_agent_conversations" ADD CONSTRAINT "in_app_agent_conversations_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "in_app_agent_runs" ADD CONSTRAINT "in_app_agent_runs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "in_app_agent_runs" ADD CONSTRAINT "in_app_agent_runs_conversation_id_project_id_fkey" FOREIGN KEY ("conversation_id", "project_id") REFERENCES "in_app_agent_conversations"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "in_app_agent_runs" ADD CONSTRAINT "in_app_agent_runs_triggered_by_user_id_fkey" FOREIGN KEY ("triggered_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "in_app_agent_events" ADD CONSTRAINT "in_app_agent_events_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "in_app_agent_events" ADD CONSTRAINT "in_app_agent_events_conversation_id_project_id_fkey" FOREIGN KEY ("conversation_id", "project_id") REFERENCES "in_app_agent_conversations"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "in_app_agent_events" ADD CONSTRAINT "in_app_agent_events_run_id_project_id_fkey" FOREIGN KEY ("run_id", "project_id") REFERENCES "in_app_agent_runs"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20260608191624_remove_foreign_keys_media
-- DropForeignKey
ALTER TABLE "observation_media" DROP CONSTRAINT IF EXISTS "observation_media_project_id_fkey";

-- DropForeignKey
ALTER TABLE "trace_media" DROP CONSTRAINT IF EXISTS "trace_media_project_id_fkey";

;
-- migration: 20260610000000_add_web_callout_endpoints
-- CreateTable
CREATE TABLE "web_callout_endpoints" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT 'Default',
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "toast_message" TEXT NOT NULL DEFAULT 'Callout sent',
    "request_headers" TEXT,
    "request_header_keys" TEXT[] NOT NULL DEFAULT '{}'::TEXT[],

    CONSTRAINT "web_callout_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "web_callout_endpoints_project_id_idx" ON "web_callout_endpoints"("project_id");

-- CreateIndex
CREATE INDEX "web_callout_endpoints_project_id_enabled_idx" ON "web_callout_endpoints"("project_id", "enabled");

-- AddForeignKey
ALTER TABLE "web_callout_endpoints" ADD CONSTRAINT "web_callout_endpoints_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20260610170000_remove_media_link_foreign_keys
-- Drop media parent-row foreign keys from high-write media link tables.
-- Link rows are now cleaned up explicitly by media deletion code to avoid
-- parent-row MultiXact contention during concurrent media upload URL requests.
ALTER TABLE "trace_media" DROP CONSTRAINT IF EXISTS "trace_media_media_id_project_id_fkey";
ALTER TABLE "observation_media" DROP CONSTRAINT IF EXISTS "observation_media_media_id_project_id_fkey";

;
-- migration: 20260612000000_add_dataset_item_media
-- CreateTable
CREATE TABLE "dataset_item_media" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "media_id" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    "dataset_item_id" TEXT NOT NULL,
    -- null while pending (declared at upload, stamped when the item is written)
    "dataset_item_valid_from" TIMESTAMP(3),
    "field" TEXT NOT NULL,
    -- json_path / reference_string are filled on claim from the item JSON
    "json_path" TEXT,
    "reference_string" TEXT,

    CONSTRAINT "dataset_item_media_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
-- Claimed rows only; pending rows have null valid_from/json_path (NULLs distinct)
CREATE UNIQUE INDEX "dataset_item_media_item_version_field_path_key" ON "dataset_item_media"("project_id", "dataset_item_id", "dataset_item_valid_from", "field", "json_path");

-- CreateIndex
-- Pending-row dedup: at most one pending row per (item, field, media)
CREATE UNIQUE INDEX "dataset_item_media_pending_key" ON "dataset_item_media"("project_id", "dataset_item_id", "field", "media_id") WHERE "dataset_item_valid_from" IS NULL;

-- CreateIndex
CREATE INDEX "dataset_item_media_project_id_media_id_idx" ON "dataset_item_media"("project_id", "media_id");

-- CreateIndex
CREATE INDEX "dataset_item_media_project_id_dataset_id_idx" ON "dataset_item_media"("project_id", "dataset_id");

;
-- migration: 20260612000000_drop_job_executions_job_template_id_fkey
-- DropForeignKey
ALTER TABLE "job_executions" DROP CONSTRAINT IF EXISTS "job_executions_job_template_id_fkey";

;
-- migration: 20260616000000_add_blob_storage_run_started_at
-- AlterTable
ALTER TABLE "blob_storage_integrations" ADD COLUMN "run_started_at" TIMESTAMP(3);

;
-- migration: 20260617000000_slack_integrations_pending_columns
-- Make project_id nullable so a Slack installation can exist before being linked
-- to a project (Marketplace install-then-link flow). The existing unique index
-- on project_id keeps mapping linked projects 1:1; Postgres treats NULLs as
-- distinct, so multiple unlinked (pending) rows can coexist.
ALTER TABLE "slack_integrations" ALTER COLUMN "project_id" DROP NOT NULL;

-- Pending-only columns (NULL once the install is linked to a project).
ALTER TABLE "slack_integrations" ADD COLUMN "expires_at" TIMESTAMP(3);

-- One-time claim token hash: the raw token is carried only by the onboarding
-- URL and is required before a pending install can be linked to a project.
ALTER TABLE "slack_integrations" ADD COLUMN "claim_token_hash" TEXT;

-- Index to purge expired pending installs efficiently.
CREATE INDEX "slack_integrations_expires_at_idx" ON "slack_integrations"("expires_at");

;
-- migration: 20260619120000_add_blob_storage_export_tuning
-- AlterTable
ALTER TABLE "blob_storage_integrations" ADD COLUMN "export_tuning" JSONB;

;
-- migration: 20260619120000_revert_slack_pending_install_columns
-- Revert the Marketplace install-then-link schema changes: drop the pending-only
-- columns and restore the 1:1 project mapping (project_id NOT NULL).
--
-- Pending (unlinked) installs have a NULL project_id and cannot satisfy the
-- restored NOT NULL constraint, so delete them first. They are short-lived,
-- never linked to a project, and hold no live integration, so dropping them is
-- safe.
DELETE FROM "slack_integrations" WHERE "project_id" IS NULL;

-- Drop the index that backed expired-pending purges.
DROP INDEX IF EXISTS "slack_integrations_expires_at_idx";

-- Drop the pending-only columns.
ALTER TABLE "slack_integrations" DROP COLUMN IF EXISTS "expires_at";
ALTER TABLE "slack_integrations" DROP COLUMN IF EXISTS "claim_token_hash";

-- Restore the 1:1 project mapping.
ALTER TABLE "slack_integrations" ALTER COLUMN "project_id" SET NOT NULL;

;
-- migration: 20260623093628_add_sfdc_id_columns
ALTER TABLE "organizations"
  ADD COLUMN "sfdc_org_id" TEXT;

;
-- migration: 20260629000000_add_parquet_blob_storage_file_type
-- AlterEnum
ALTER TYPE "BlobStorageIntegrationFileType" ADD VALUE 'PARQUET';

;
-- migration: 20260629091506_add_in_app_agent_pending_tool_approvals
-- CreateTable
CREATE TABLE "in_app_agent_pending_tool_approvals" (
    "project_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "tool_call_id" TEXT NOT NULL,
    "approval_fingerprint" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "in_app_agent_pending_tool_approvals_pkey" PRIMARY KEY ("project_id","conversation_id","tool_call_id")
);

-- CreateIndex
CREATE INDEX "in_app_agent_pending_tool_approvals_expires_at_idx" ON "in_app_agent_pending_tool_approvals"("expires_at");

-- AddForeignKey
ALTER TABLE "in_app_agent_pending_tool_approvals" ADD CONSTRAINT "in_app_agent_pending_tool_approvals_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "in_app_agent_pending_tool_approvals" ADD CONSTRAINT "in_app_agent_pending_tool_approvals_conversation_id_projec_fkey" FOREIGN KEY ("conversation_id", "project_id") REFERENCES "in_app_agent_conversations"("id", "project_id") ON DELETE CASCADE ON UPDATE CASCADE;

;
-- migration: 20260701115500_add_create_root_spans_background_migration
-- M1 of the V4 self-hosted historic backfill chain.
-- Creates virtual root spans in events_full from existing traces. Traces
-- referenced by a dataset run item are skipped here and owned end-to-end by M4.
--
-- Gated by `LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL` so this row ships
-- dormant on the final v3 release and activates when self-hosters opt in or
-- upgrade to v4 (which defaults the flag to true).
INSERT INTO background_migrations (id, name, script, args)
VALUES (
  '8e1f4a2b-5c63-4d8e-9a47-1b2f3c4d5e6f',
  '20260701_v4_step_1_create_root_spans_from_traces',
  'createRootSpansFromTraces',
  '{"envGate": "LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL"}'::jsonb
);

;
-- migration: 20260701115501_add_rewrite_observations_to_pid_tid_sorting_background_migration
-- M2 of the V4 self-hosted historic backfill chain.
-- Rewrites the live `observations` table into `observations_pid_tid_sorting`,
-- a scratch table sorted by (project_id, trace_id, span_id) so that M3's
-- chunked LEFT ANY JOIN against `traces` is index-aligned.
--
-- M2 lazily creates the scratch table inside validate() and issues
-- `SYSTEM STOP MERGES` against it after the rewrite. The scratch table is
-- dropped by M5 once the operator confirms the v4 path is healthy.
--
-- Gated by `LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL`.
INSERT INTO background_migrations (id, name, script, args)
VALUES (
  '9c2d5a4f-7b8e-4f6a-a91c-3e5d7f8a2b1c',
  '20260701_v4_step_2_rewrite_observations_to_pid_tid_sorting',
  'rewriteObservationsToPidTidSorting',
  '{"envGate": "LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL"}'::jsonb
);

;
-- migration: 20260701115502_add_backfill_events_full_from_observations_background_migration
-- M3 of the V4 self-hosted historic backfill chain.
-- Reads `observations_pid_tid_sorting` (produced by M2) LEFT ANY JOIN with the
-- live `traces` table and writes child events into `events_full`. Trace
-- properties are propagated lightly (name, user_id, session_id, version,
-- release, tags, public, bookmarked); metadata is intentionally not copied to
-- keep the join cheap on self-hoster hardware. Observations of DRI-referenced
-- traces are skipped here and owned end-to-end by M4.
--
-- Gated by `LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL`.
INSERT INTO background_migrations (id, name, script, args)
VALUES (
  '7a3f8d6e-2c91-4b5e-8d72-f4a5b6c7d8e9',
  '20260701_v4_step_3_backfill_events_full_from_observations',
  'backfillEventsFullFromObservations',
  '{"envGate": "LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL"}'::jsonb
);

;
-- migration: 20260701115503_add_backfill_events_full_from_dris_background_migration
-- M4 of the V4 self-hosted historic backfill chain.
-- DRI-driven recursive enrichment: walks `dataset_run_items_rmt` newest-first,
-- finds the root span for each DRI's trace, copies the root + all descendants
-- into `events_full` with experiment_* fields populated. Because M1 and M3 skip
-- DRI-referenced traces, M4 owns those traces end-to-end: every remaining span
-- of a referenced trace (the virtual trace root, siblings, ancestors) is also
-- written, without experiment fields, so the trace tree is complete.
--
-- All tunables are read from `args` so a self-hoster can override them
-- in-place via SQL on the row:
--   - concurrency: kept for parity with the other steps; M4 is JS-batched.
--   - batchSize: number of DRIs paginated per round (default 200).
--   - maxDescendantsPerDri: hard cap that converts a runaway trace into an
--     actionable error in `failedReason` rather than a silent OOM.
--   - lookbackDays: padding applied to the DRI created_at min/max when
--     fetching observations/traces (default 90).
--
-- Gated by `LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL`.
INSERT INTO background_migrations (id, name, script, args)
VALUES (
  '9d4f8a12-7b35-4e6c-9f48-a2b3c4d5e6f7',
  '20260701_v4_step_4_backfill_events_full_from_dataset_run_items',
  'backfillEventsFullFromDatasetRunItems',
  '{"envGate": "LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL"}'::jsonb
);

;
-- migration: 20260701115504_add_drop_pid_tid_sorting_tables_background_migration
-- M5 of the V4 self-hosted historic backfill chain.
-- Cleanup-only migration: drops `observations_pid_tid_sorting` once the operator confirms the v4 read path is healthy.
--
-- Gated by `LANGFUSE_BACKGROUND_MIGRATION_V4_DROP_PID_TID_SORTING_TABLES` (separate from
-- the other gate) so users keep scratch tables for forensics until they're
-- confident.
INSERT INTO background_migrations (id, name, script, args)
VALUES (
  'b3f1c5d8-9e47-4a26-8b3f-5c6d7e8f9a01',
  '20260701_v4_step_5_drop_pid_tid_sorting_tables',
  'dropPidTidSortingTables',
  '{"envGate": "LANGFUSE_BACKGROUND_MIGRATION_V4_DROP_PID_TID_SORTING_TABLES"}'::jsonb
);

;
-- migration: 20260702130000_add_in_app_agent_conversation_renamed_by_user_at
ALTER TABLE "in_app_agent_conversations" ADD COLUMN "renamed_by_user_at" TIMESTAMP(3);

;
-- migration: 20260706000000_add_api_key_created_by
-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "created_by_user_id" TEXT,
ADD COLUMN     "created_by_api_key_id" TEXT;

-- CreateIndex
CREATE INDEX "api_keys_created_by_api_key_id_idx" ON "api_keys"("created_by_api_key_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_api_key_id_fkey" FOREIGN KEY ("created_by_api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20260707170000_add_project_home_dashboard
-- AlterTable
ALTER TABLE "projects" ADD COLUMN "home_dashboard_id" TEXT;

-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_home_dashboard_id_fkey" FOREIGN KEY ("home_dashboard_id") REFERENCES "dashboards"("id") ON DELETE SET NULL ON UPDATE CASCADE;

;
-- migration: 20260709124500_add_billing_exhausted_evaluator_block_reason
-- AlterEnum
ALTER TYPE "EvaluatorBlockReason" ADD VALUE 'LLM_CONNECTION_BILLING_EXHAUSTED';
ALTER TYPE "EvaluatorBlockReason" ADD VALUE 'LLM_CONNECTION_ENDPOINT_UNREACHABLE';

;
-- migration: 20260721120000_add_boolean_score_widget_views
ALTER TYPE "DashboardWidgetViews" ADD VALUE 'SCORES_BOOLEAN';

ALTER TYPE "MonitorView" ADD VALUE 'SCORES_BOOLEAN';

;
-- migration: 20260722070000_add_in_app_agent_run_lifecycle_fields
-- Expand step of an expand/contract rollout (contract lands with the first
-- status reader, which backfills remaining NULLs and sets DEFAULT/NOT NULL —
-- see the add_project_id_to_observations precedent). All columns are nullable
-- so replicas that predate this code keep inserting successfully; a NULL
-- status means "row written by old code".
ALTER TABLE "in_app_agent_runs"
  ADD COLUMN "status" TEXT,
  ADD COLUMN "request" JSONB,
  ADD COLUMN "claimed_at" TIMESTAMP(3),
  ADD COLUMN "heartbeat_at" TIMESTAMP(3),
  ADD COLUMN "cancel_requested_at" TIMESTAMP(3);

-- Close only runs the app itself would already consider stale (>150s,
-- ACTIVE_RUN_STALE_AFTER_MS in web/src/ee/features/in-app-agent/server/persistence.ts).
-- Younger unfinished rows are genuinely running foreground streams and must
-- stay open, or their event flushes and finish would silently no-op.
UPDATE "in_app_agent_runs"
SET "finished_at" = NOW(),
    "error_code" = 'stale',
    "error_message" = 'Run was marked stale before starting a new run'
WHERE "finished_at" IS NULL
  AND "created_at" < NOW() - INTERVAL '150 seconds';

-- Single-active-run backstop for background execution. The app invariant
-- (stale-close before create, under the conversation row lock) already
-- guarantees at most one unfinished run per conversation, so this creates
-- cleanly even with live runs left open.
CREATE UNIQUE INDEX "in_app_agent_runs_active_conversation_key"
  ON "in_app_agent_runs" ("project_id", "conversation_id")
  WHERE "finished_at" IS NULL;

;
-- migration: 20260723124010_drop_dataset_run_items_table
-- The legacy dataset_run_items table is superseded by the ClickHouse
-- dataset_run_items_rmt table. Its contents were copied over by the
-- 20250814_1001_migrate_dataset_run_items_rmt_pg_to_ch background migration,
-- which must have completed (on the latest v3 release) before upgrading to v4.
DROP TABLE IF EXISTS "dataset_run_items";

-- Remove the background migrations whose source tables are dropped in v4
-- (dataset_run_items here, event_log in ClickHouse migration 0044). Their
-- worker scripts are deleted alongside this migration, so leftover unfinished
-- rows would make the BackgroundMigrationManager fail to resolve the script.
DELETE FROM "background_migrations"
WHERE "name" IN (
  '20250417_1737_migrate_event_log_to_blob_storage',
  '20250731_1001_migrate_dataset_run_items_pg_to_ch',
  '20250814_1001_migrate_dataset_run_items_rmt_pg_to_ch'
);

;
-- migration: 20260723150000_drop_legacy_tracing_tables
-- The traces, observations and scores tables were superseded by their
-- ClickHouse counterparts in v3. Their contents were copied over by the
-- 20241024_* background migrations, which must have completed (on the latest
-- v3 release) before upgrading to v4.
DROP TABLE IF EXISTS "traces";
DROP TABLE IF EXISTS "observations";
DROP TABLE IF EXISTS "scores";

-- These enum types were only used by the dropped tables.
DROP TYPE IF EXISTS "ObservationType";
DROP TYPE IF EXISTS "ObservationLevel";
DROP TYPE IF EXISTS "ScoreSource";

-- Remove the background migrations whose source tables are dropped above.
-- Their worker scripts are deleted alongside this migration, so leftover
-- unfinished rows would make the BackgroundMigrationManager fail to resolve
-- the script.
DELETE FROM "background_migrations"
WHERE "name" IN (
  '20241024_1216_add_generations_cost_backfill',
  '20241024_1730_migrate_traces_from_pg_to_ch',
  '20241024_1737_migrate_observations_from_pg_to_ch',
  '20241024_1738_migrate_scores_from_pg_to_ch'
);

;
-- migration: 20260723165610_add_remote_experiment_auth_headers
-- AlterTable
ALTER TABLE "datasets" ADD COLUMN     "remote_experiment_display_headers" JSONB,
ADD COLUMN     "remote_experiment_display_secret_key" TEXT,
ADD COLUMN     "remote_experiment_request_headers" JSONB,
ADD COLUMN     "remote_experiment_secret_key" TEXT;

;
-- migration: 20260731100000_add_media_association_origin
-- CreateEnum
CREATE TYPE "MediaAssociationOrigin" AS ENUM (
  'UNKNOWN',
  'CLIENT_UPLOAD',
  'INGESTION_MEDIA_EXTRACTION',
  'INGESTION_FIELD_OVERFLOW'
);

-- AlterTable
-- PostgreSQL 11+ stores this non-volatile default in table metadata, so the
-- large association tables are not rewritten or scanned.
ALTER TABLE "trace_media"
ADD COLUMN "origin" "MediaAssociationOrigin" NOT NULL DEFAULT 'UNKNOWN';

ALTER TABLE "observation_media"
ADD COLUMN "origin" "MediaAssociationOrigin" NOT NULL DEFAULT 'UNKNOWN';

;
-- migration: 20260806120000_add_in_app_agent_conversation_always_allowed_tools
-- AlterTable
ALTER TABLE "in_app_agent_conversations" ADD COLUMN     "always_allowed_tools" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

;
-- migration: 20260807120000_drop_job_execution_configuration_fk
-- Prisma does not automatically wrap PostgreSQL migrations in a transaction.
BEGIN;

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';

ALTER TABLE "job_executions"
  DROP CONSTRAINT IF EXISTS "job_executions_job_configuration_id_fkey";

COMMIT;

;
-- migration: 20260813120000_add_posthog_integration_error_fields
ALTER TABLE "posthog_integrations" ADD COLUMN IF NOT EXISTS "last_error" TEXT;
ALTER TABLE "posthog_integrations" ADD COLUMN IF NOT EXISTS "last_error_at" TIMESTAMP(3);

;
-- migration: 20260821121000_add_evaluator_v2
-- Prisma does not automatically wrap PostgreSQL migrations in a transaction.
BEGIN;

-- DDL only. The backfill that copies job_configurations/eval_templates into these tables lives in
-- the follow-up migration 20260821121500_backfill_evaluator_v2 and must stay there.
--
-- Adding a foreign key takes SHARE ROW EXCLUSIVE on the *referenced* table, which conflicts with
-- the ROW EXCLUSIVE that every INSERT/UPDATE/DELETE takes. The FKs below reference `projects` and
-- `users`, so for as long as this transaction is open, all writes to those two tables block --
-- including unrelated hot paths such as persistProjectHasTracesFlag. Keeping the backfill out of
-- this transaction bounds that window to the DDL itself, which is milliseconds because every
-- referencing table is created empty a few lines above its FK.
--
-- The timeouts make that bound explicit: if an in-flight writer on `projects` delays us, we fail
-- fast instead of parking a SHARE ROW EXCLUSIVE request at the head of the lock queue, where every
-- subsequent writer would pile up behind it.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';

CREATE TYPE "EvaluatorSourceCodeLanguage" AS ENUM ('PYTHON', 'TYPESCRIPT');

CREATE TABLE "evaluators" (
  "id" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "project_id" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "type" "EvalTemplateType" NOT NULL,
  "description" TEXT,
  "created_by_user_id" TEXT,
  "blocked_at" TIMESTAMP(3),
  "block_reason" "EvaluatorBlockReason",
  "block_message" TEXT,

  CONSTRAINT "evaluators_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "evaluators"
  ADD CONSTRAINT "evaluators_project_id_fkey"
  FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "evaluators"
  ADD CONSTRAINT "evaluators_created_by_user_id_fkey"
  FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "evaluators_project_id_created_at_idx" ON "evaluators"("project_id", "created_at" DESC);

CREATE TABLE "evaluator_versions" (
  "id" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "evaluator_id" TEXT NOT NULL,
  "version" INTEGER NOT NULL,
  "created_by_user_id" TEXT,
  "prompt" TEXT,
  "partner" TEXT,
  "model" TEXT,
  "provider" TEXT,
  "model_params" JSONB,
  "vars" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "variable_mapping" JSONB,
  "output_definition" JSONB,
  "source_code" VARCHAR(262144),
  "source_code_language" "EvaluatorSourceCodeLanguage",

  CONSTRAINT "evaluator_versions_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "evaluator_versions"
  ADD CONSTRAINT "evaluator_versions_evaluator_id_fkey"
  FOREIGN KEY ("evaluator_id") REFERENCES "evaluators"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "evaluator_versions"
  ADD CONSTRAINT "evaluator_versions_created_by_user_id_fkey"
  FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE UNIQUE INDEX "evaluator_versions_evaluator_id_version_key" ON "evaluator_versions"("evaluator_id", "version" DESC);

CREATE TABLE "evaluation_rules" (
  "id" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "project_id" TEXT NOT NULL,
  "created_by_user_id" TEXT,
  "name" TEXT NOT NULL,
  "status" "JobConfigState" NOT NULL DEFAULT 'ACTIVE',
  "target_object" TEXT NOT NULL,
  "filter" JSONB NOT NULL,
  "sampling" DECIMAL(65,30) NOT NULL,
  "delay" INTEGER NOT NULL,
  "time_scope" TEXT[] NOT NULL DEFAULT ARRAY['NEW']::TEXT[],

  CONSTRAINT "evaluation_rules_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "evaluation_rules"
  ADD CONSTRAINT "evaluation_rules_project_id_fkey"
  FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "evaluation_rules"
  ADD CONSTRAINT "evaluation_rules_created_by_user_id_fkey"
  FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "evaluation_rules_project_id_updated_at_idx" ON "evaluation_rules"("project_id", "updated_at" DESC);

CREATE TABLE "evaluation_rule_evaluator_assignments" (
  "id" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "project_id" TEXT NOT NULL,
  "evaluation_rule_id" TEXT NOT NULL,
  "evaluator_id" TEXT NOT NULL,
  "variable_mapping" JSONB,

  CONSTRAINT "evaluation_rule_evaluator_assignments_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "evaluation_rule_evaluator_assignments"
  ADD CONSTRAINT "evaluation_rule_evaluator_assignments_project_id_fkey"
  FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "evaluation_rule_evaluator_assignments"
  ADD CONSTRAINT "evaluation_rule_evaluator_assignments_evaluation_rule_id_fkey"
  FOREIGN KEY ("evaluation_rule_id") REFERENCES "evaluation_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "evaluation_rule_evaluator_assignments"
  ADD CONSTRAINT "evaluation_rule_evaluator_assignments_evaluator_id_fkey"
  FOREIGN KEY ("evaluator_id") REFERENCES "evaluators"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE UNIQUE INDEX "evaluation_rule_assignments_rule_evaluator_key"
  ON "evaluation_rule_evaluator_assignments"("evaluation_rule_id", "evaluator_id");
-- for efficient project deletes
CREATE INDEX "evaluation_rule_assignments_project_id_idx"
  ON "evaluation_rule_evaluator_assignments"("project_id");
CREATE INDEX "evaluation_rule_assignments_evaluator_id_idx"
  ON "evaluation_rule_evaluator_assignments"("evaluator_id");

COMMIT;

;
-- migration: 20260821121500_backfill_evaluator_v2
-- Prisma does not automatically wrap PostgreSQL migrations in a transaction.
BEGIN;

-- Backfills the tables created by 20260821121000_add_evaluator_v2 from the legacy
-- job_configurations/eval_templates rows. It is deliberately separate from that migration: the
-- foreign keys there lock `projects` and `users` against writes for as long as their transaction
-- is open, and this backfill is the slow part. Split, the lock window is the DDL only.
--
-- This transaction takes no conflicting locks: it reads the legacy tables (ACCESS SHARE) and
-- writes tables that are still empty (ROW EXCLUSIVE). The foreign keys make its RI triggers take
-- KEY SHARE on the referenced `projects`/`users` rows, which does not conflict with the
-- ROW EXCLUSIVE that concurrent writers take, so ordinary traffic keeps running throughout.
--
-- The backfill reads job_configurations/eval_templates across several separate statements. Under
-- the default READ COMMITTED isolation, each statement would take its own fresh snapshot, so a row
-- written concurrently between statements could show up in one backfill query but not another,
-- tripping a foreign key and aborting the migration. REPEATABLE READ pins one snapshot for the
-- whole transaction, so every statement sees the same view of the old tables. This migration only
-- reads job_configurations/eval_templates and only writes to the tables created by the previous
-- migration, so there is no write-skew risk that would require SERIALIZABLE.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;

-- No statement_timeout: a role- or parameter-group-level timeout on managed PostgreSQL would abort
-- the backfill mid-deploy, and Prisma then records the migration as failed and refuses to retry it
-- (P3009), which crash-loops every container because the entrypoint runs `migrate deploy` before
-- starting the app. Every insert below is `ON CONFLICT DO NOTHING` on a deterministic id, so the
-- migration is safe to re-run once such a failure has been cleared with
-- `prisma migrate resolve --rolled-back 20260821121500_backfill_evaluator_v2`.
--
-- No lock_timeout either, for the same reason: the only lock this transaction can wait on is the
-- KEY SHARE its RI triggers take on a `projects`/`users` row, and timing out there would abort a
-- migration that is otherwise making progress.
SET LOCAL statement_timeout = 0;

-- copy over job configurations
INSERT INTO "evaluation_rules" (
  "id", "created_at", "updated_at", "project_id", "name", "status",
  "target_object", "filter", "sampling", "delay", "time_scope"
)
-- `job_configurations.time_scope` is nullable (it was added with a default but without NOT NULL),
-- while `evaluation_rules.time_scope` is NOT NULL, so a single historic row holding a literal NULL
-- would abort the whole deploy. The empty array is the value that preserves behaviour: the old
-- scheduler matched on `timeScope has 'NEW'`, which was already false for NULL, and it keeps the
-- status expression below on the INACTIVE branch exactly as NULL did.
SELECT
  jc."id", jc."created_at", jc."updated_at", jc."project_id",
  jc."score_name",
  CASE
    WHEN 'NEW' = ANY(COALESCE(jc."time_scope", ARRAY[]::TEXT[])) THEN jc."status"
    ELSE 'INACTIVE'::"JobConfigState"
  END,
  jc."target_object", jc."filter",
  jc."sampling", jc."delay", COALESCE(jc."time_scope", ARRAY[]::TEXT[])
FROM "job_configurations" jc
WHERE jc."job_type" = 'EVAL'
ON CONFLICT ("id") DO NOTHING;

-- Job configurations that agree on project, template, variable mapping, score name *and* block
-- status describe the very same evaluator, so they share one. Blocked and unblocked configurations
-- stay separate to preserve which legacy rules were executable. The mapping is part of the
-- evaluator definition, while the evaluator name determines the score name written by the worker.
--
-- The evaluator ID is the lowest job configuration ID in the group. That makes the group's
-- representative the row where `job_configuration_id = evaluator_id`, and it keeps evaluator IDs
-- in the job-configuration ID space (template IDs would not be unique across managed templates).
CREATE TEMP TABLE "evaluator_group_map" ON COMMIT DROP AS
SELECT
  jc."id" AS "job_configuration_id",
  min(jc."id") OVER (
    PARTITION BY
      jc."project_id", jc."eval_template_id", jc."variable_mapping", jc."score_name",
      jc."blocked_at" IS NOT NULL
  ) AS "evaluator_id"
FROM "job_configurations" jc
WHERE jc."job_type" = 'EVAL'
  AND jc."eval_template_id" IS NOT NULL;

CREATE UNIQUE INDEX ON "evaluator_group_map" ("job_configuration_id");

-- migrate evaluators that are currently referenced by a job config
INSERT INTO "evaluators" (
  "id", "created_at", "updated_at", "project_id", "name", "type",
  "blocked_at", "block_reason", "block_message"
)
SELECT
  g."evaluator_id",
  min(jc."created_at"),
  max(jc."updated_at"),
  -- constant within the group, it is part of the grouping key
  jc."project_id",
  -- constant within the group, it is part of the grouping key
  (array_agg(jc."score_name" ORDER BY jc."id"))[1],
  -- constant within the group, the template ID is part of the grouping key
  current_template."type",
  -- Block status is part of the grouping key, so unblocked groups stay unblocked. For blocked
  -- groups, the reason/message come from whichever configuration was blocked most recently.
  max(jc."blocked_at"),
  (array_agg(jc."block_reason" ORDER BY jc."blocked_at" DESC, jc."id")
    FILTER (WHERE jc."blocked_at" IS NOT NULL))[1],
  (array_agg(jc."block_message" ORDER BY jc."blocked_at" DESC, jc."id")
    FILTER (WHERE jc."blocked_at" IS NOT NULL))[1]
FROM "job_configurations" jc
JOIN "evaluator_group_map" g
  ON g."job_configuration_id" = jc."id"
JOIN "eval_templates" current_template
  ON current_template."id" = jc."eval_template_id"
GROUP BY g."evaluator_id", jc."project_id", current_template."type"
ON CONFLICT ("id") DO NOTHING;

-- migrate evaluator versions which are currently attached to job configurations
WITH ranked_family_versions AS (
  SELECT
    jc."id" || ':' || family."id" AS "id",
    jc."id" AS "evaluator_id",
    family."version",
    family."created_at",
    family."prompt",
    family."partner",
    family."model",
    family."provider",
    family."model_params",
    -- nullable in eval_templates, NOT NULL in evaluator_versions; see the time_scope note above
    COALESCE(family."vars", ARRAY[]::TEXT[]) AS "vars",
    CASE
      -- Code mappings are fixed by Langfuse and do not depend on the legacy job configuration.
      -- Older configurations contain snapshots that predate newer canonical variables, so use the
      -- complete current mapping for attached code evaluators as well as unattached ones.
      WHEN family."type" = 'CODE' THEN '[{"templateVariable":"input","selectedColumnId":"input","jsonSelector":null},{"templateVariable":"output","selectedColumnId":"output","jsonSelector":null},{"templateVariable":"metadata","selectedColumnId":"metadata","jsonSelector":null},{"templateVariable":"toolCalls","selectedColumnId":"toolCalls","jsonSelector":null},{"templateVariable":"experimentItemExpectedOutput","selectedColumnId":"experimentItemExpectedOutput","jsonSelector":null},{"templateVariable":"experimentItemMetadata","selectedColumnId":"experimentItemMetadata","jsonSelector":null}]'::JSONB
      WHEN family."id" = current_template."id" THEN jc."variable_mapping"
      -- job configurations are not versioned so we don't know historic mappings
      ELSE NULL
    END AS "variable_mapping",
    family."output_schema" AS "output_definition",
    family."source_code",
    family."source_code_language"::TEXT::"EvaluatorSourceCodeLanguage" AS "source_code_language",
    row_number() OVER (
      PARTITION BY jc."id", family."version"
      ORDER BY
        (family."id" = current_template."id") DESC,
        family."created_at" DESC,
        family."id" DESC
    ) AS family_rank
  FROM "job_configurations" jc
  -- only the group's representative writes the history: every configuration in a group points at
  -- the same template, so they would all produce an identical version set
  JOIN "evaluator_group_map" g
    ON g."job_configuration_id" = jc."id"
   AND g."evaluator_id" = jc."id"
  JOIN "eval_templates" current_template
    ON current_template."id" = jc."eval_template_id"
  JOIN "eval_templates" family
    -- Managed templates have a NULL project_id and must only match other managed templates, but
    -- `IS NOT DISTINCT FROM` is not hash- or merge-joinable: the planner would hash on name alone
    -- and demote project_id to a join filter, so every template named X in any project gets probed
    -- against every template named X in every other project. Cost is the sum of count(name)^2, and
    -- template names are exactly the skewed case, since managed names get cloned per project.
    -- COALESCE keeps the NULL-matches-NULL semantics while leaving project_id a real join key, so
    -- this can use eval_templates_project_id_name_version_key. Projects ids are cuids, so the empty
    -- string cannot collide with a real one.
    ON COALESCE(family."project_id", '') = COALESCE(current_template."project_id", '')
   AND family."name" = current_template."name"
    -- Rules always run the latest version of their evaluator, so the cap is what preserves
    -- behaviour: it makes the evaluator's newest version the template version this rule was
    -- actually running. Two rules on different versions of one family therefore get two
    -- evaluators, and the cap is why they are not merged.
    --
    -- The cost is that template versions *newer* than any rule references are dropped. They
    -- cannot be kept here: appending them would move the evaluator's head, silently upgrading
    -- the rule (in the worst case across a type change, LLM_AS_JUDGE -> CODE). Such a family is
    -- also excluded from the unattached-templates backfill below, because a rule does reference
    -- it, so those versions land nowhere. `eval_templates` is not dropped by this migration, so
    -- they stay recoverable by a later backfill if the v2 UI should surface them.
   AND family."version" <= current_template."version"
)
INSERT INTO "evaluator_versions" (
  "id", "evaluator_id", "version", "created_at", "prompt",
  "partner", "model", "provider", "model_params", "vars",
  "variable_mapping", "output_definition", "source_code", "source_code_language"
)
SELECT
  "id", "evaluator_id", "version", "created_at", "prompt",
  "partner", "model", "provider", "model_params", "vars",
  "variable_mapping", "output_definition", "source_code", "source_code_language"
FROM ranked_family_versions
WHERE family_rank = 1
ON CONFLICT ("evaluator_id", "version") DO NOTHING;

-- migrate assignments. Every rule keeps its own assignment row, but several rules can now point
-- at one shared evaluator. The unique index on (rule, evaluator) cannot trip: each job
-- configuration produces exactly one rule, so the pairs stay distinct.
INSERT INTO "evaluation_rule_evaluator_assignments" (
  "id", "created_at", "updated_at", "project_id", "evaluation_rule_id",
  "evaluator_id", "variable_mapping"
)
SELECT
  'legacy:' || jc."id", jc."created_at", jc."updated_at", jc."project_id",
  jc."id", g."evaluator_id",
  -- Legacy mappings belong to the rule/evaluator assignment; modern rules inherit the evaluator version default.
  -- This way users can edit and reuse the `evaluator` in the new UI without breaking the
  -- variable mapping
  CASE
    WHEN jc."target_object" IN ('trace', 'dataset') THEN jc."variable_mapping"
    ELSE NULL
  END
FROM "job_configurations" jc
JOIN "evaluator_group_map" g
  ON g."job_configuration_id" = jc."id"
ON CONFLICT ("evaluation_rule_id", "evaluator_id") DO NOTHING;

-- migrate templates that weren't associated to job configs
WITH unattached_families AS (
  -- only select latest version per template (see order by below)
  -- we use the ID of the latest one as stable evaluator ID
  SELECT DISTINCT ON (template."project_id", template."name")
    template.*
  FROM "eval_templates" template
  -- no managed templates
  WHERE template."project_id" IS NOT NULL
    -- Exclude associated templates: the backfill above already turned them into evaluators.
    -- Note this is per family, not per version, so a family is skipped here even when only some
    -- of its versions were migrated above. See the version cap there for why.
    AND NOT EXISTS (
      SELECT 1
      FROM "job_configurations" jc
      JOIN "eval_templates" referenced
        ON referenced."id" = jc."eval_template_id"
      -- must match the job type the inserts above filter on, otherwise a non-EVAL configuration
      -- would hide a template family from this backfill without ever producing an evaluator
      WHERE jc."job_type" = 'EVAL'
        AND referenced."project_id" = template."project_id"
        AND referenced."name" = template."name"
    )
  -- only select latest version of template
  ORDER BY
    template."project_id", template."name", template."version" DESC,
    template."created_at" DESC, template."id" DESC
)
INSERT INTO "evaluators" (
  "id", "created_at", "updated_at", "project_id", "name", "type"
)
SELECT
  family."id", family."created_at", family."updated_at", family."project_id",
  family."name", family."type"
FROM unattached_families family
ON CONFLICT ("id") DO NOTHING;

-- migrate version history of non associated templates
WITH unattached_families AS (
  -- only select latest version per template (see order by below)
  -- we use the ID of the latest one as stable evaluator ID
  SELECT DISTINCT ON (template."project_id", template."name")
    template.*
  FROM "eval_templates" template
  -- no managed templates
  WHERE template."project_id" IS NOT NULL
    -- same family-level exclusion as the evaluator insert above
    AND NOT EXISTS (
      SELECT 1
      FROM "job_configurations" jc
      JOIN "eval_templates" referenced
        ON referenced."id" = jc."eval_template_id"
      -- must match the job type the inserts above filter on, otherwise a non-EVAL configuration
      -- would hide a template family from this backfill without ever producing an evaluator
      WHERE jc."job_type" = 'EVAL'
        AND referenced."project_id" = template."project_id"
        AND referenced."name" = template."name"
    )
  -- only select latest version of template
  ORDER BY
    template."project_id", template."name", template."version" DESC,
    template."created_at" DESC, template."id" DESC
)
INSERT INTO "evaluator_versions" (
  "id", "evaluator_id", "version", "created_at", "prompt",
  "partner", "model", "provider", "model_params", "vars",
  "variable_mapping", "output_definition", "source_code", "source_code_language"
)
SELECT
  family."id" || ':' || template."id", family."id", template."version",
  template."created_at", template."prompt",
  template."partner", template."model", template."provider",
  template."model_params",
  -- nullable in eval_templates, NOT NULL in evaluator_versions; see the time_scope note above
  COALESCE(template."vars", ARRAY[]::TEXT[]),
  CASE
    WHEN template."type" = 'CODE' THEN '[{"templateVariable":"input","selectedColumnId":"input","jsonSelector":null},{"templateVariable":"output","selectedColumnId":"output","jsonSelector":null},{"templateVariable":"metadata","selectedColumnId":"metadata","jsonSelector":null},{"templateVariable":"toolCalls","selectedColumnId":"toolCalls","jsonSelector":null},{"templateVariable":"experimentItemExpectedOutput","selectedColumnId":"experimentItemExpectedOutput","jsonSelector":null},{"templateVariable":"experimentItemMetadata","selectedColumnId":"experimentItemMetadata","jsonSelector":null}]'::JSONB
    ELSE NULL
  END,
  template."output_schema",
  template."source_code",
  template."source_code_language"::TEXT::"EvaluatorSourceCodeLanguage"
FROM unattached_families family
JOIN "eval_templates" template
  ON template."project_id" = family."project_id"
 AND template."name" = family."name"
ON CONFLICT ("evaluator_id", "version") DO NOTHING;

COMMIT;

;
