// Sandbox cost: per-command latency through packages/cowork-vm against the same command run bare,
// and the cost of capturing a command's changes. Run after `npm run build`.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { LinuxSandbox } = require('../packages/cowork-vm/lib/src/index.js');

const N = Number(process.env.BENCH_N ?? 25);

function bare(command, cwd = '/tmp') {
    return new Promise((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.resume();
        child.stderr.resume();
        child.once('error', reject);
        child.once('close', resolve);
    });
}

async function median(fn, n = N) {
    await fn(); // warm-up
    const times = [];
    for (let i = 0; i < n; i++) {
        const t = process.hrtime.bigint();
        await fn();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(n / 2)];
}

const line = (name, value, base, unit = 'ms') =>
    console.log(`${name}: ${value.toFixed(1)} ${unit} (baseline: ${base.toFixed(1)} ${unit}, ratio ${(value / base).toFixed(2)}x)`);

if (process.platform !== 'linux') {
    console.log('sandbox: skipped (the Linux backend is the only one built)');
    process.exit(0);
}
const sandbox = new LinuxSandbox();
const report = await sandbox.preflight();
if (!report.ok) {
    console.log(`sandbox: skipped (${report.problems.join('; ')})`);
    process.exit(0);
}

const grant = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-grant-')));
const roGrant = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-ro-')));
const inSandbox = (command, extra = {}) => async () => {
    const r = await sandbox.run({ command, cwd: grant, grants: [{ path: grant, mode: 'rw' }, { path: roGrant, mode: 'ro' }], ...extra });
    if (r.exitCode !== 0) {
        throw new Error(`${command} failed in the sandbox: ${r.stderr}`);
    }
    r.changes.discard();
    return r;
};

try {
    const bareTrue = await median(() => bare('true'));
    line('sandbox `true` (rw + ro grant, overlay, seccomp, limits)', await median(inSandbox('true')), bareTrue);
    line('sandbox `true` (no grants, no overlay)', await median(async () => {
        const r = await sandbox.run({ command: 'true', cwd: '/tmp', grants: [] });
        r.changes.discard();
    }), bareTrue);
    line('sandbox `true` with network allowlist (proxy + relay)', await median(inSandbox('true', { network: { mode: 'allowlist', domains: ['example.com'] } })), bareTrue);

    const py = '/usr/bin/python3 -c pass';
    const barePy = await median(() => bare(py));
    line('sandbox `python3 -c pass`', await median(inSandbox(py)), barePy);

    // Change capture: a command writing 1,000 small files into the grant.
    const write1000 = 'mkdir -p out && i=0; while [ $i -lt 1000 ]; do echo "row $i" > out/f$i.txt; i=$((i+1)); done';
    const bareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-bare-'));
    const bareWrite = await median(async () => {
        await bare(write1000, bareDir);
        fs.rmSync(path.join(bareDir, 'out'), { recursive: true, force: true });
    }, 7);
    let count = 0;
    const capture = await median(async () => {
        const r = await sandbox.run({ command: write1000, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        count = r.changes.changes.length;
        r.changes.discard();
    }, 7);
    line(`sandbox write of 1,000 files incl. capture (${count} changes reported)`, capture, bareWrite);
    const applyTime = await median(async () => {
        const r = await sandbox.run({ command: write1000, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        const t = process.hrtime.bigint();
        r.changes.apply();
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        r.changes.discard();
        fs.rmSync(path.join(grant, 'out'), { recursive: true, force: true });
        return ms;
    }, 3);
    void applyTime;
    fs.rmSync(bareDir, { recursive: true, force: true });

    // Optional comparison with Anthropic's sandbox-runtime CLI, when installed and usable.
    const srt = process.env.SRT_BIN ?? ['/tmp/srt/node_modules/.bin/srt'].find(p => fs.existsSync(p));
    const srtOk = srt && spawnSync(srt, ['-c', 'true'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
    if (srtOk) {
        line('@anthropic-ai/sandbox-runtime `srt -c true` (CLI, includes its Node start)', await median(() => bare(`${srt} -c true`), 9), bareTrue);
    } else {
        console.log('@anthropic-ai/sandbox-runtime: skipped (set SRT_BIN to an `srt` that runs here; 0.0.78 needs ripgrep, not installed)');
    }
} finally {
    fs.rmSync(grant, { recursive: true, force: true });
    fs.rmSync(roGrant, { recursive: true, force: true });
}
