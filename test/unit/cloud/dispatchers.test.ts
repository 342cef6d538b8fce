import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DISPATCHERS = pathToFileURL(join(__dirname, '../../../server/src/cloud/dispatchers.ts')).href;

describe("undici's dispatchers loaded without undici's index", () => {
  it("are undici's own classes, each with the request API, in a process that never loads the index", () => {
    // A fresh process: in this one, other tests have loaded undici's index already.
    const script = `
      const m = await import(${JSON.stringify(DISPATCHERS)});
      const d = m.Agent ? m : m.default;
      const agents = [new d.Agent(), new d.ProxyAgent('http://127.0.0.1:9'), new d.EnvHttpProxyAgent({ httpProxy: '', httpsProxy: '', noProxy: '' })];
      const api = ['request', 'stream', 'pipeline', 'connect', 'upgrade'];
      const missing = agents.flatMap((a) => api.filter((m) => typeof a[m] !== 'function').map((m) => a.constructor.name + '.' + m));
      await Promise.all(agents.map((a) => a.close()));
      const undici = await import('undici');
      const same = d.Agent === undici.Agent && d.ProxyAgent === undici.ProxyAgent && d.EnvHttpProxyAgent === undici.EnvHttpProxyAgent;
      console.log(JSON.stringify({ missing, same }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { missing: [], same: true });
  });
});
