// The Sample source's declaration: a built-in, read-only help desk with generated data, so
// anyone can try Ferry without an account anywhere. No secrets: the seed and scale pick the data.
import { z } from "zod";
import type { ConnectorManifest } from "@/connectors/types";
import { SAMPLE_OBJECT_TYPES } from "@/connectors/sample/schema";

export const DEFAULT_SAMPLE_SEED = 42;
export const MAX_SAMPLE_SCALE = 10_000;

// Coerced: the wizard form sends every value as a string.
export const sampleCredentialSchema = z.object({
  seed: z.coerce
    .number()
    .int("The seed must be a whole number.")
    .min(0, "The seed must be 0 or more.")
    .max(2 ** 32 - 1)
    .default(DEFAULT_SAMPLE_SEED),
  scale: z.coerce
    .number()
    .positive("The scale must be more than 0.")
    .max(MAX_SAMPLE_SCALE, `The scale can be at most ${MAX_SAMPLE_SCALE.toLocaleString("en")}.`)
    .default(1),
});

export type SampleCredentials = z.infer<typeof sampleCredentialSchema>;

export const sampleManifest: ConnectorManifest<SampleCredentials> = {
  id: "sample",
  name: "Sample data",
  kind: "helpdesk",
  credentialSchema: sampleCredentialSchema,
  credentialFields: [
    { key: "seed", label: "Seed", secret: false, placeholder: String(DEFAULT_SAMPLE_SEED), help: "The same seed always gives the same data." },
    { key: "scale", label: "Scale", secret: false, placeholder: "1", help: "1 gives 1,000 tickets and 250 customers; 1000 gives a million tickets." },
  ],
  apiKeyHowTo: {
    steps: [
      "No account or API key is needed: the Sample source generates a realistic, messy help desk inside Ferry.",
      "Leave the seed and scale empty for the default dataset.",
    ],
    // No external page to link to.
    link: "",
  },
  reads: [...SAMPLE_OBJECT_TYPES],
  writes: [],
  // Generated in-process: no API limit applies; this only keeps estimates finite.
  rateLimit: { requests: 1_000, perMs: 1_000 },
  // The Sample source writes nothing.
  maxBatchSize: 0,
  notRead: [],
  notWritten: [],
  readsAttachments: true,
  writesAttachments: false,
  keepsCreationDate: [],
  objectRoles: {
    agents: "user",
    companies: "company",
    customers: "person",
    tickets: "ticket",
    messages: "message",
    opportunities: "deal",
    tasks: "task",
    notes: "note",
  },
  // A source only: it holds no source ids, creates nothing and offers no fixes.
  createsFields: false,
  objectTemplates: [],
  fixes: [],
};
