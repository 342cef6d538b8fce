/**
 * Root hooks shared by every suite. Fixtures that start real servers (Samba AD, the local cloud,
 * code-server) register their teardown here so that a run stops only what it started, by PID.
 */
const teardowns: Array<() => Promise<void> | void> = [];

/** Registers work to do once after all suites have run (stopping a fixture this run started). */
export function atEndOfRun(fn: () => Promise<void> | void): void {
  teardowns.push(fn);
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    for (const fn of teardowns.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error('teardown failed:', err);
      }
    }
  },
};
