// `conecta-load demo` (`make demo`): the main job on the bundled sandbox — a scaled capacity ladder of the
// 500/1000/2000-user profiles, judged level by level, with run and capacity reports, in a few minutes.

import { join, relative, resolve } from 'node:path';
import { formatCapacitySummary } from '../lib/capacity/format.js';
import { runCapacity } from '../lib/capacity/index.js';
import { ensureK6 } from '../lib/k6/install.js';
import { timestampSlug } from '../lib/run/run-dir.js';
import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { fullStackUnavailable } from '../lib/sandbox/full/index.js';
import { startSandbox } from '../lib/sandbox/index.js';
import { writeReport } from '../lib/report/write.js';
import type { Register } from '../lib/register.js';

/**
 * What a 2-core machine holds while it also runs k6: 500/1000/2000 users at 10 % are 50/100/200 VUs with the
 * profiles' own 1–5 s think time. The sandbox's handlers are far cheaper than a real API's (about 2 ms of CPU),
 * so the demo gives each request 15 ms of CPU work, about what an ORM-backed handler costs: the stack then
 * saturates within the load this machine can generate, and the ladder shows where. One extra doubled level is
 * run only if 2000 users still hold the targets. Steady windows of 15 s (a few hundred to a couple of thousand
 * requests each) keep the whole demo within 5 minutes.
 */
export const DEMO = {
  levels: [500, 1000, 2000], scale: 0.1, steadyS: 15, coolDownS: 2, extraLevels: 1,
  port: 8100, instances: 3, cpuMsPerRequest: 15,
} as const;

export const registerDemo: Register = (program, io) => {
  program
    .command('demo')
    .description('the main job on the bundled sandbox: capacity ladder, gate per level, reports under results/')
    .option('--port <port>', 'sandbox port', String(DEMO.port))
    .option('--out <dir>', 'where results go (default results/<timestamp>-demo)')
    .option('--stack <kind>', 'full (nginx, PostgreSQL, Redis, Prometheus; the default when installed) or embedded')
    .action(async (o: { port: string; out?: string; stack?: string }) => {
      const t0 = io.now();
      const step = (n: number, what: string) => io.stderr(`\n[${n}/4] ${what} (${Math.round((io.now() - t0) / 1000)} s)\n`);
      const out = resolve(io.cwd, o.out ?? join('results', `${timestampSlug(t0)}-demo`));

      step(1, 'k6 and the sandbox');
      const k6 = await ensureK6(io);
      io.stderr(`  k6 ${k6.version}: ${k6.path}\n`);
      // The full stack when its packages are here; otherwise one line why, and the embedded stack.
      const why = o.stack === 'embedded' ? 'asked for' : fullStackUnavailable();
      if (why && o.stack === 'full') throw new ConectaError(`demo --stack full: ${why}`, ExitCode.SANDBOX);
      if (why && o.stack !== 'embedded') io.stderr(`  full stack unavailable (${why}): running on the embedded stack\n`);
      const full = !why;
      // Limits off: a capacity ladder measures the service, not the per-IP limiter (run uses --local-ips anyway).
      const sandbox = full
        ? await startSandbox({ stack: 'full', port: Number(o.port), instances: DEMO.instances, noLimits: true, say: (l) => io.stderr(`  ${l}\n`) })
        : await startSandbox({ port: Number(o.port), instances: DEMO.instances, noLimits: true, faults: { rules: [{ route: '*', cpuMs: DEMO.cpuMsPerRequest }] } });
      io.stderr(full
        ? `  sandbox: ${sandbox.url} (nginx, ${DEMO.instances} API instances, PostgreSQL primary + replica, Redis + sentinel, Prometheus)\n`
        : `  sandbox: ${sandbox.url} (${DEMO.instances} API instances behind a balancer, SQLite, ${DEMO.cpuMsPerRequest} ms CPU per request)\n`);
      let capacityDir: string;
      let summary: string;
      let levelDirs: string[];
      try {
        step(2, `capacity ladder: ${DEMO.levels.join('/')} users at scale ${DEMO.scale}, ${DEMO.steadyS} s steady each`);
        const { result: capacity } = await runCapacity({
          target: sandbox.url,
          levels: DEMO.levels,
          scale: DEMO.scale,
          steadyS: DEMO.steadyS,
          coolDownS: DEMO.coolDownS,
          extraLevels: DEMO.extraLevels,
          outDir: join(out, 'capacity'),
          // The full stack's own Prometheus and procfs by default (lib/sandbox/full/collectors.ts).
          collect: full ? undefined : [`scrape:${sandbox.url}/metrics`],
        }, io);
        capacityDir = join(out, 'capacity');
        summary = formatCapacitySummary(capacity);
        levelDirs = capacity.levels.map((l) => resolve(io.cwd, l.runDir));
      } finally {
        step(3, 'stopping the sandbox');
        await sandbox.stop();
      }

      step(4, 'reports');
      const reports = [];
      for (const dir of levelDirs) reports.push(await writeReport(dir, {}, io));
      const capReport = await writeReport(capacityDir, {}, io);

      const rel = (p: string) => relative(io.cwd, p) || '.';
      io.stdout('\n' + summary);
      io.stdout(`\nCapacity report: ${rel(capReport.htmlFile)}  (Markdown: ${rel(capReport.mdFile)})\n`);
      for (const r of reports) io.stdout(`Run report:      ${rel(r.htmlFile)}  — ${r.verdictLine}\n`);
      io.stdout(`Done in ${Math.round((io.now() - t0) / 1000)} s.\n`);
    });
};
