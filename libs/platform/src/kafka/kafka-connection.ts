import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { releaseReadBuffers } from './release-read-buffers';
import { warnIfKafkajsUnpatched } from './kafkajs-patched';

/**
 * The one place the hub builds a kafkajs client. KafkaJS is in maintenance mode, so every
 * service reaches Kafka through this module and the producer/consumer helpers beside it;
 * swapping the client later touches only this folder.
 */
export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  /** Receives kafkajs log lines; defaults to dropping everything below WARN. */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
  /** Tests pass a fault-injecting socket factory here. */
  socketFactory?: KafkaConfig['socketFactory'];
}

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: KafkaConnectionOptions): Kafka {
  releaseReadBuffers();
  warnIfKafkajsUnpatched(options.log);
  const config: KafkaConfig = {
    brokers: options.brokers,
    clientId: options.clientId,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    retry: { retries: options.retries ?? 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      options.log?.(levelNames[entry.level] ?? 'info', `kafkajs ${entry.namespace}: ${message}`, extra);
    },
  };
  return new Kafka(config);
}
