import { z } from 'zod';

/** A setting that is missing or wrong; the message names every such setting at once. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: { setting: string; problem: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.setting}: ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates settings (environment variables by default) against a zod schema. Values are
 * never echoed back in the error: a secret pasted into the wrong variable must not end up
 * in a log.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      setting: issue.path.join('.') || '(root)',
      problem: issue.code === 'invalid_type' && issue.input === undefined ? 'required but not set' : issue.message,
    })),
  );
}

const commaList = z
  .string()
  .min(1)
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const urlWithProtocol = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

/** Settings every service shares. Services extend this with their own. */
export const serviceConfigSchema = z.object({
  SERVICE_NAME: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  KAFKA_BROKERS: commaList.default(['127.0.0.1:9092']),
  TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore').default(''),
  /** The hub's database; each service keeps its tables in its own schema inside it. */
  DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/hub'),
  /** Defaults to the service name with dashes as underscores. */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and underscores').optional(),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default(''),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: urlWithProtocol(['http:', 'https:']).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
});
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

/**
 * Entry points call this: a bad setting stops the process with one line that names it
 * (exit code 78, EX_CONFIG) instead of a stack trace from deep inside a client library.
 */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', code: error.code, msg: error.message, problems: error.problems })}\n`);
      process.exit(78);
    }
    throw error;
  }
}
