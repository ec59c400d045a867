import { connect } from 'node:net';

/**
 * True when a Docker engine answers on its socket. The `docker` command alone proves
 * nothing (the client is installed on machines that have no engine), so we ask the
 * engine itself: GET /_ping on the socket that DOCKER_HOST or the default names.
 */
export async function dockerEngineAnswers(timeoutMs = 1500): Promise<boolean> {
  const host = process.env.DOCKER_HOST;
  let target: { path: string } | { host: string; port: number };
  if (!host || host.startsWith('unix://')) {
    target = { path: host ? host.slice('unix://'.length) : '/var/run/docker.sock' };
  } else if (host.startsWith('tcp://')) {
    const url = new URL(host.replace('tcp://', 'http://'));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else {
    return false;
  }
  return new Promise((resolve) => {
    const socket = connect(target as never);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    let reply = '';
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n\r\n')) done(/^HTTP\/1\.[01] 200/.test(reply));
    });
    socket.on('end', () => done(/^HTTP\/1\.[01] 200/.test(reply)));
  });
}
