/**
 * Child process of sync.bench.ts, so each measurement has its own peak RSS.
 *   raw  <config>: read every enabled selection's entries (the attributes the plan requests) and
 *                  list every cloud user, sequentially, as the dry run does — the baseline.
 *   plan <config>: the dry run (engine.ts) on the same config.
 * Prints one JSON line: {seconds, maxRssMb, …}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { loadEngineConfig, openConfiguredCloud, openConfiguredDirectory, readDirectory } from '../../../server/src/sync/engine/load';

const [mode, configFile] = process.argv.slice(2) as ['raw' | 'plan', string];
const secrets = () => process.env.DIRSYNC_BENCH_TOKEN;

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  let extra: Record<string, unknown> = {};
  if (mode === 'raw') {
    const loaded = await loadEngineConfig({ configFile, secrets });
    const source = await openConfiguredDirectory(loaded);
    const { client, close } = await openConfiguredCloud(loaded, 'bench-raw');
    let entries = 0;
    let cloud = 0;
    for await (const _ of client.users.list({ prefetch: 2 })) cloud++;
    for await (const _ of readDirectory(loaded, source)) entries++;
    await source.close();
    await close();
    extra = { entries, cloud };
  } else {
    const stateDir = mkdtempSync(join(tmpdir(), 'dirsync-bench-state-'));
    const plan = await dryRun({ configFile, secrets, stateDir });
    rmSync(stateDir, { recursive: true, force: true });
    extra = { summary: plan.report.summary, operations: plan.payload.operations.length };
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
