import { z } from 'zod';
import { ConfigError, loadConfig, serviceConfigSchema } from './load-config';

describe(loadConfig.name, () => {
  const valid = { SERVICE_NAME: 'mdm', DATABASE_URL: 'postgres://u@127.0.0.1:5432/hub_mdm' };

  it('applies defaults and parses lists', () => {
    const config = loadConfig(serviceConfigSchema, { ...valid, KAFKA_BROKERS: 'a:1, b:2' });
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.HTTP_PORT).toBe(3000);
  });

  it('names every missing or bad setting', () => {
    expect.assertions(3);
    try {
      loadConfig(serviceConfigSchema, { SERVICE_NAME: 'mdm', HTTP_PORT: 'eighty', REDIS_URL: 'http://x' });
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.setting).sort();
      expect(error).toBeInstanceOf(ConfigError);
      expect(problems).toEqual(['DATABASE_URL', 'HTTP_PORT', 'REDIS_URL']);
      expect((error as ConfigError).message).toContain('DATABASE_URL: required but not set');
    }
  });

  it('never repeats the rejected value in its message', () => {
    const schema = z.object({ API_SECRET: z.string().min(32) });
    expect(() => loadConfig(schema, { API_SECRET: 'hunter2-short' })).toThrow(/API_SECRET/);
    try {
      loadConfig(schema, { API_SECRET: 'hunter2-short' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
