import { randomBytes } from 'node:crypto';
import { createTestDatabase, ServiceProcess, testKafkaBrokers, testRedisUrl, testTopicPrefix } from '@hub/testkit';

// The services as a user runs them: from their build, in their own processes, against the
// real Kafka, PostgreSQL and Redis, driven from outside over HTTP and signals.
const services = ['ingest', 'mdm', 'grouping', 'scoring', 'alerts', 'portal-api'];

describe('platform, end to end', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    env = {
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      TOPIC_PREFIX: `${testTopicPrefix()}e2e.`,
      DATABASE_URL: await createTestDatabase('e2e_platform'),
      REDIS_URL: testRedisUrl(),
      INGEST_API_KEY_SECRET: randomBytes(32).toString('hex'),
      MDM_SERVICE_TOKEN: randomBytes(32).toString('hex'),
      PORTAL_JWT_SECRET: randomBytes(32).toString('hex'),
    };
  });

  it('starts every service, ready, answering health and metrics without credentials', async () => {
    const running: ServiceProcess[] = [];
    try {
      for (const name of services) running.push(await ServiceProcess.start(name, env));
      for (const service of running) {
        const ready = await fetch(`${service.url}/health/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({ status: 'ready' });
        const metrics = await (await fetch(`${service.url}/metrics`)).text();
        expect(metrics).toContain(`hub_messages_consumed_total`);
        expect(metrics).toContain(`service="${service.name}"`);
        const line = service.log.split('\n').find((l) => l.includes(`"${service.name} started"`));
        expect(JSON.parse(line!)).toMatchObject({ level: 'info', service: service.name });
      }
    } finally {
      await Promise.all(running.map((service) => service.stop()));
    }
  });

  it('stops on a bad setting with a message that names it', async () => {
    const service = await ServiceProcess.start('grouping', { ...env, KAFKA_BROKERS: '', LOG_LEVEL: 'loud' }, { waitReady: false });
    expect(await service.waitExit()).toBe(78);
    const report = JSON.parse(service.log.trim().split('\n').pop()!);
    expect(report.code).toBe('CONFIG.INVALID');
    expect(report.problems.map((p: { setting: string }) => p.setting).sort()).toEqual(['KAFKA_BROKERS', 'LOG_LEVEL']);
  });

  it('drains and exits cleanly on SIGTERM', async () => {
    const service = await ServiceProcess.start('scoring', env);
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(service.log).toContain('"scoring stopping"');
    expect(service.log).toContain('"scoring stopped"');
  });
});
