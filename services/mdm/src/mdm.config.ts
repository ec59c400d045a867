import { serviceConfigSchema } from '@hub/platform';
import { z } from 'zod';

export const mdmConfigSchema = serviceConfigSchema.extend({
  /**
   * Bearer token other hub services (portal-api, the evaluation tools) present on mdm's
   * internal API. Generated per installation; never in the repository. Unset, the internal
   * API refuses every request (the service still resolves).
   */
  MDM_SERVICE_TOKEN: z.string().min(32, 'at least 32 characters').optional(),
  /** A model file used until one is promoted (defaults to the shipped one). */
  MDM_MODEL_FILE: z.string().optional(),
  /** YAML or JSON: trusted identifier schemes and survivorship trust (see docs/mdm.md); the shipped defaults when unset. */
  MDM_POLICY_FILE: z.string().optional(),
});
export type MdmConfig = z.infer<typeof mdmConfigSchema>;
