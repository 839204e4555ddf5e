/**
 * A jest reporter that prints the CPU time of each test file, the real tools
 * it ran included (their time is added to ours when they exit), slowest first.
 * On a shared machine CPU time is steadier than wall time. Linux (/proc) and
 * --runInBand only (the reporter reads the CPU time of its own process):
 *
 *   npx jest [paths] --runInBand --reporters=default --reporters=./__tests__/support/cpu-reporter.js
 *
 * (paths before --reporters, which takes every word after it).
 */
const fs = require('fs');
const path = require('path');

/** Seconds of CPU of this process and of its waited-for children, from /proc/self/stat (clock ticks of 1/100 s). */
function cpuSeconds() {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { own: (utime + stime) / 100, tools: (cutime + cstime) / 100 };
}

class CpuReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.inBand = globalConfig.maxWorkers <= 1;
    this.started = new Map();
    this.rows = [];
  }

  onTestFileStart(test) {
    this.started.set(test.path, { at: Date.now(), cpu: cpuSeconds() });
  }

  onTestFileResult(test) {
    const start = this.started.get(test.path);
    const cpu = cpuSeconds();
    this.rows.push({ file: path.relative(this.rootDir, test.path), own: cpu.own - start.cpu.own, tools: cpu.tools - start.cpu.tools, wall: (Date.now() - start.at) / 1000 });
  }

  onRunComplete() {
    if (!this.inBand) {
      console.log('cpu-reporter: run with --runInBand to measure each file');
      return;
    }
    const rows = [...this.rows].sort((a, b) => b.own + b.tools - (a.own + a.tools));
    const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
    const line = (cpu, own, tools, wall, what) => [cpu, own, tools, wall].map((n) => n.toFixed(2).padStart(7)).join('') + `  ${what}`;
    console.log(`\n${['cpu s', 'own', 'tools', 'wall'].map((h) => h.padStart(7)).join('')}  file`);
    for (const r of rows) console.log(line(r.own + r.tools, r.own, r.tools, r.wall, r.file));
    console.log(line(sum('own') + sum('tools'), sum('own'), sum('tools'), sum('wall'), `all ${rows.length} files`));
  }
}

module.exports = CpuReporter;
