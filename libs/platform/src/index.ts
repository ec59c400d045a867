export * from './kafka/kafka-connection';
export * from './kafka/producer-settings';
export * from './kafka/topic-admin';
