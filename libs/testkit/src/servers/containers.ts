import { KafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import type { TestServers } from './test-servers';

/** Used only where a Docker engine answers; the same images docker-compose.yml runs. */
export async function startContainers(): Promise<{
  servers: Omit<TestServers, 'runId' | 'startedBy'>;
  stop: () => Promise<void>;
}> {
  const [kafka, postgres, redis] = await Promise.all([
    // Confluent's 8.1 image carries Apache Kafka 4.1, the version the project runs without Docker.
    new KafkaContainer('confluentinc/cp-kafka:8.1.0').withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' }).start(),
    new PostgreSqlContainer('postgres:15').start(),
    new RedisContainer('redis:7.0').start(),
  ]);
  return {
    servers: {
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      databaseUrl: postgres.getConnectionUri(),
      redisUrl: redis.getConnectionUrl(),
    },
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop(), redis.stop()]);
    },
  };
}
