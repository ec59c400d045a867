import { z } from 'zod';
import { ConfigError, loadConfig, serviceConfigSchema } from './load-config';

describe(loadConfig.name, () => {
  const valid = { SERVICE_NAME: 'mdm', DATABASE_URL: 'postgres://u@127.0.0.1:5432/hub_mdm' };

  it('applies defaults and parses lists', () => {
    const config = loadConfig(serviceConfigSchema, { ...valid, KAFKA_BROKERS: 'a:1, b:2' });
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.HTTP_PORT).toBe(3000);
  });

  it('stops on a missing required setting', () => {
    expect(() => loadConfig(serviceConfigSchema, {})).toThrow('SERVICE_NAME: required but not set');
  });

  it('names every bad setting', () => {
    expect.assertions(3);
    try {
      loadConfig(serviceConfigSchema, { SERVICE_NAME: 'mdm', HTTP_PORT: 'eighty', REDIS_URL: 'http://x', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.setting).sort();
      expect(error).toBeInstanceOf(ConfigError);
      expect(problems).toEqual(['DATABASE_URL', 'HTTP_PORT', 'REDIS_URL']);
      expect((error as ConfigError).message).toContain('DATABASE_URL: must be a URL starting with postgres:// or postgresql://');
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
