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

/**
 * Medians of a baseline and a subject measured alternately, so both see the same machine load
 * (this matters on a shared machine far more than the number of samples).
 */
async function paired(baseFn, fn, n = N) {
    await baseFn();
    await fn(); // warm-up
    const base = [];
    const subject = [];
    for (let i = 0; i < n; i++) {
        for (const [f, out] of [[baseFn, base], [fn, subject]]) {
            const t = process.hrtime.bigint();
            await f();
            out.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
    }
    const med = a => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
    return [med(subject), med(base)];
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
    const bareTrue = () => bare('true');
    line('sandbox `true` (rw + ro grant, overlay, seccomp, limits)', ...await paired(bareTrue, inSandbox('true')));
    line('sandbox `true` (no grants, no overlay)', ...await paired(bareTrue, async () => {
        const r = await sandbox.run({ command: 'true', cwd: '/tmp', grants: [] });
        r.changes.discard();
    }));
    line('sandbox `true` with network allowlist (proxy + relay)', ...await paired(bareTrue, inSandbox('true', { network: { mode: 'allowlist', domains: ['example.com'] } })));

    const py = '/usr/bin/python3 -c pass';
    line('sandbox `python3 -c pass`', ...await paired(() => bare(py), inSandbox(py)));

    // Change capture: a command writing 1,000 small files into the grant, then inspected and dropped.
    const write1000 = 'mkdir -p out && i=0; while [ $i -lt 1000 ]; do echo "row $i" > out/f$i.txt; i=$((i+1)); done';
    const bareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-bench-bare-'));
    let count = 0;
    line('sandbox write of 1,000 files incl. change capture', ...await paired(async () => {
        await bare(write1000, bareDir);
        fs.rmSync(path.join(bareDir, 'out'), { recursive: true, force: true });
    }, async () => {
        const r = await sandbox.run({ command: write1000, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
        count = r.changes.changes.length;
        r.changes.discard();
    }, 7));
    console.log(`  (${count} changes reported per run)`);
    // The capture alone: time spent outside the sandboxed process (set-up, reading the upper
    // layer, comparing, dropping it) for 1,000 new files, against the same for `true`.
    const hostSide = async command => {
        const times = [];
        for (let i = 0; i < 7; i++) {
            const t = process.hrtime.bigint();
            const r = await sandbox.run({ command, cwd: grant, grants: [{ path: grant, mode: 'rw' }] });
            r.changes.discard();
            times.push(Number(process.hrtime.bigint() - t) / 1e6 - r.durationMs);
        }
        return times.sort((a, b) => a - b)[3];
    };
    line('host-side time around a command writing 1,000 files (set-up + change capture)', await hostSide(write1000), await hostSide('true'));
    fs.rmSync(bareDir, { recursive: true, force: true });

    // Optional comparison with Anthropic's sandbox-runtime CLI, when installed and usable.
    const srt = process.env.SRT_BIN ?? ['/tmp/srt/node_modules/.bin/srt'].find(p => fs.existsSync(p));
    const srtOk = srt && spawnSync(srt, ['-c', 'true'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
    if (srtOk) {
        line('@anthropic-ai/sandbox-runtime `srt -c true` (CLI, includes its Node start)', ...await paired(() => bare('true'), () => bare(`${srt} -c true`), 9));
    } else {
        console.log('@anthropic-ai/sandbox-runtime: skipped (set SRT_BIN to an `srt` that runs here; 0.0.78 needs ripgrep, not installed)');
    }
} finally {
    fs.rmSync(grant, { recursive: true, force: true });
    fs.rmSync(roGrant, { recursive: true, force: true });
}
