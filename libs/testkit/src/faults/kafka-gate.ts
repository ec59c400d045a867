import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/**
 * Fault injection for Kafka. A TCP proxy cannot stand between kafkajs and the broker (the
 * broker tells clients its own address in metadata and they go there directly), so tests
 * give the client this socket factory instead: `close()` destroys its broker connections
 * and fails new ones, `open()` lets them through again.
 */
export class KafkaGate {
  private readonly sockets = new Set<Socket>();
  private closed = false;

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    if (this.closed) {
      setImmediate(() => socket.destroy(Object.assign(new Error('connect ECONNREFUSED (gate closed)'), { code: 'ECONNREFUSED' })));
      return socket;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  };

  close(): void {
    this.closed = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  open(): void {
    this.closed = false;
  }
}
