// Shared helpers of the bench sections: run a child and measure wall time, CPU time and peak RSS.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';

/**
 * Runs `cmd args` as a child process and measures it. Peak RSS comes from GNU time (`-v`, the max over the
 * process tree) when present, else from polling /proc/<pid>/status VmHWM every 50 ms.
 * Resolves to { code, ms, cpuS, peakRssMb, stdout, stderr }.
 */
export function measure(cmd, args, opts = {}) {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? ['-v', cmd, ...args] : args;
  const bin = useTime ? GNU_TIME : cmd;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwmKb = 0;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (opts.echo) process.stdout.write(c);
    });
    child.stderr.on('data', (c) => (stderr += c));
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
          } catch {
            /* the process has just exited */
          }
        }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let cpuS = NaN;
      if (useTime) {
        const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (rss) hwmKb = Number(rss[1]);
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && sys) cpuS = Number(user[1]) + Number(sys[1]);
        stderr = stderr.replace(/\n?\tCommand being timed:[\s\S]*$/, '').replace(/^Command exited with non-zero status \d+\n?/m, '').trimEnd();
      }
      resolve({ code, ms, cpuS, peakRssMb: hwmKb / 1024, stdout, stderr });
    });
  });
}

/** Prints rows (arrays of cells) as an aligned text table; the first row is the header. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '))
    .join('\n');
}

export const fmt = {
  s: (ms) => (ms / 1000).toFixed(2),
  mbps: (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1),
  rate: (n, ms) => Math.round(n / (ms / 1000)).toLocaleString('en-US'),
  mb: (x) => x.toFixed(0),
  ratio: (a, b) => (b > 0 ? (a / b).toFixed(2) + '×' : 'n/a'),
};
