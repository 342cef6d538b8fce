/**
 * Child process of directory.bench.ts: reads every user through LdapSource (paged, photos as
 * bytes) without keeping them, and prints {seconds, entries, photoBytes, maxRssMb, maxHeapMb} as JSON. Run in
 * its own process so that its peak RSS is the reader's alone.
 */
import { LdapSource } from '../../../server/src/directory/ldapSource';

async function main(): Promise<void> {
  const [url, bindDn, baseDn, filter, attrs] = process.argv.slice(2);
  const password = process.env.DIRSYNC_BENCH_PASSWORD!;
  const t0 = process.hrtime.bigint();
  const src = await LdapSource.connect({ url: url!, bindDn: bindDn!, password, pageSize: 1000 });
  let entries = 0;
  let photoBytes = 0;
  let maxHeap = 0;
  for await (const e of src.search({ baseDns: [baseDn!], filter: filter!, attributes: attrs!.split(',') })) {
    entries++;
    for (const p of e.attributes.thumbnailphoto ?? []) photoBytes += (p as Uint8Array).length;
    // Live heap, sampled: peak RSS alone includes garbage V8 has not collected yet.
    if (entries % 1000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  }
  await src.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    JSON.stringify({ seconds, entries, photoBytes, maxRssMb: process.resourceUsage().maxRSS / 1024, maxHeapMb: maxHeap / 1048576 }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
