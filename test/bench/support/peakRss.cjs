// Preloaded (`node --require`) into a measured child: on exit, appends the process's wall time and
// peak RSS as one JSON line to the file named by DIRSYNC_BENCH_RSS_FILE. The child itself is the
// unmodified CLI, so the bench measures the path users take.
const { appendFileSync } = require('node:fs');
const started = process.hrtime.bigint();
process.on('exit', (code) => {
  const file = process.env.DIRSYNC_BENCH_RSS_FILE;
  if (!file) return;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  appendFileSync(file, `${JSON.stringify({ code, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
});
