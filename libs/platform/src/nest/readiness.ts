/** Named checks a service registers; /health/ready answers 200 only when all of them pass. */
export type ReadinessCheck = () => Promise<void>;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async report(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    if (this.shuttingDown) return { ready: false, checks: { shutdown: 'in progress' } };
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref())]);
          checks[name] = 'ok';
        } catch (error) {
          checks[name] = `failing: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`;
        }
      }),
    );
    return { ready: Object.values(checks).every((state) => state === 'ok'), checks };
  }
}
