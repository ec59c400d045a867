/** Injection tokens for what the platform runtime provides to a service's modules. */
export const CONFIG = Symbol('hub:config');
export const LOGGER = Symbol('hub:logger');
export const KAFKA_PRODUCER = Symbol('hub:kafka-producer');
export const REDIS = Symbol('hub:redis');
