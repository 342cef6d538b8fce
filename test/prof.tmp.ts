import { dryRun } from '../server/src/sync/engine';
void (async () => {
  const t0 = Date.now();
  const { Session } = await import('node:inspector/promises');
  const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
  let last = Date.now();
  const plan = await dryRun({ configFile: '/tmp/bench-prof.dirsync', secrets: () => 'bench-token', stateDir: '/tmp/profstate', onProgress: (p) => { if (p.total !== undefined || p.phase === 'plan') { console.log(p.phase, p.message, Date.now() - last); last = Date.now(); } } });
  const { profile } = await s.post('Profiler.stop') as any;
  console.log('ms', Date.now() - t0, plan.payload.operations.length, process.resourceUsage().maxRSS / 1024);
  const self = new Map<string, number>();
  const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const dt = profile.timeDeltas; const samples = profile.samples;
  for (let i = 0; i < samples.length; i++) { const n: any = nodes.get(samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); }
  console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n'));
})();
