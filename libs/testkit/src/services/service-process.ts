import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../servers/test-servers';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The flags the stack puts on node's command line for a service (scripts/lib/services.json). */
export function stackNodeArgs(name: string): string[] {
  const services = JSON.parse(readFileSync(join(repoRoot, 'scripts', 'lib', 'services.json'), 'utf8')) as { name: string; nodeArgs?: string[] }[];
  return services.find((service) => service.name === name)?.nodeArgs ?? [];
}

/**
 * A hub service run from its build as a separate process, the way the stack runs it, for
 * end-to-end tests that drive it from outside. Its output is kept for assertions (for
 * example, that no personal data was logged).
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];
  exitCode: number | null = null;

  constructor(readonly name: string, readonly env: Record<string, string>, readonly port: number, readonly nodeArgs: readonly string[] = []) {}

  /** `nodeArgs` go on node's command line, before the script (by default the stack's: `stackNodeArgs`). */
  static async start(name: string, env: Record<string, string>, options: { waitReady?: boolean; nodeArgs?: readonly string[] } = {}): Promise<ServiceProcess> {
    const port = env.HTTP_PORT ? Number(env.HTTP_PORT) : await freePort();
    const service = new ServiceProcess(name, env, port, options.nodeArgs ?? stackNodeArgs(name));
    service.spawn();
    if (options.waitReady ?? true) await service.waitReady();
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output.join('');
  }

  spawn(): void {
    const main = join(repoRoot, 'services', this.name, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run build)`);
    this.exitCode = null;
    this.child = spawn(process.execPath, [...this.nodeArgs, main], {
      cwd: repoRoot,
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', LOG_LEVEL: 'info', ...this.env, SERVICE_NAME: this.env.SERVICE_NAME ?? this.name, HTTP_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.on('exit', (code, signal) => (this.exitCode = code ?? (signal ? 128 : null)));
  }

  async waitReady(timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitCode !== null) throw new Error(`${this.name} exited with ${this.exitCode} during start:\n${this.log.slice(-3000)}`);
      try {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.log.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async waitExit(timeoutMs = 30000): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.exitCode;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.child || this.exitCode !== null) return this.exitCode;
    this.child.kill(signal);
    const code = await this.waitExit();
    if (code === null) this.child.kill('SIGKILL');
    return code;
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }
}
