import { Scenario, goBuild } from './__tests__/support/scenario.js';
const n = Number(process.env.N ?? 50);
const payload = Number(process.env.P ?? 4096);
const t0 = Date.now();
const s = Scenario.withModules(n, { payloadBytes: payload });
console.log('fixture', Date.now() - t0);
const B = await s.mirror();
const w = s.job();
let t = Date.now();
const r0 = await w.run('go mod download && go build -o "$RUNNER_TEMP/app" .', { cwd: 'app', env: { GOPROXY: B.url }, timeoutMs: 120000 });
console.log('warm', r0.exitCode, Date.now() - t, r0.stderr.slice(-300));
const faults = (process.env.F ?? 'none,status502,refused,hang,stall,throttle,html200,corruptZip').split(',');
for (const f of faults) {
  const A = await s.mirror({ fault: f as never });
  for (const chain of [A.url, `${A.url},${B.url},direct`, `${A.url}|${B.url}`]) {
    const j = s.job();
    t = Date.now();
    const r = await j.run('go mod download && go build -o "$RUNNER_TEMP/app" . && "$RUNNER_TEMP/app" >/dev/null 2>&1', { cwd: 'app', env: { GOPROXY: chain }, timeoutMs: 15000 });
    console.log(f.padEnd(10), chain.replace(/http:\/\/127.0.0.1:/g, ':').padEnd(30), r.exitCode, r.timedOut, Date.now() - t, JSON.stringify(r.stderr.slice(0, 160)));
    j.cleanup();
  }
  for (const probe of ['5']) {
    const j = s.job();
    t = Date.now();
    const m = await j.runMain({ mirrors: `${A.url}\n${B.url}`, 'working-directory': 'app', cache: 'false', 'probe-timeout': probe }, { timeoutMs: 60000 });
    const tm = Date.now() - t;
    const b = await goBuild(j);
    console.log(f.padEnd(10), 'action', m.exitCode, tm, Date.now() - t, b.exitCode);
    j.cleanup();
  }
}
await s.close();
