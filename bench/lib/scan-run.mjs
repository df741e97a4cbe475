// Child process: scan the given targets with the library and print time and peak RSS as JSON.
import { scan } from '../../dist/index.js';
const t0 = process.hrtime.bigint();
const report = await scan({ targets: process.argv.slice(2) });
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const ru = process.resourceUsage();
console.log(JSON.stringify({ secs, cpu: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxRssMiB: ru.maxRSS / 1024, findings: report.findings.length, inconclusive: report.inconclusive.length }));
