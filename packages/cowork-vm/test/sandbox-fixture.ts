import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFile } from 'child_process';
import { LinuxSandbox } from '../src/linux/linux-sandbox';
import type { RunHooks, RunResult, SandboxRequest } from '../src/sandbox-types';

/** One sandbox for the whole test run (its preflight runs once). */
export const sandbox = new LinuxSandbox();

export function tempDir(prefix: string): string {
    return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `cowork-vm-test-${prefix}-`)));
}

/** Runs a command in the sandbox and drops whatever it staged. */
export async function runIn(req: Partial<SandboxRequest> & { command: string }, hooks?: RunHooks): Promise<RunResult> {
    const r = await sandbox.run({ cwd: req.grants?.[0]?.path ?? '/tmp', grants: [], ...req }, hooks);
    r.changes.discard();
    return r;
}

/** The same command on the host, unsandboxed: proves a probe can succeed at all. */
export function runOnHost(command: string, cwd = '/tmp'): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
    // Asynchronous, so listeners in this very process can answer the probe.
    return new Promise(resolve => {
        execFile('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
            resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
        });
    });
}

/** A Python one-liner calling a raw syscall through ctypes; prints OK or FAIL <errno>. */
export function syscallProbe(body: string): string {
    const py = `import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def sc(*a):
    r = libc.syscall(*[ctypes.c_long(x) for x in a])
    return r, ctypes.get_errno()
${body}`;
    return `/usr/bin/python3 -c ${shq(py)}`;
}

export function shq(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Host processes whose command line contains `marker`. */
export function hostProcessesWith(marker: string): number[] {
    const out: number[] = [];
    for (const name of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(name) || Number(name) === process.pid) {
            continue;
        }
        try {
            if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) {
                out.push(Number(name));
            }
        } catch {
            // Gone meanwhile.
        }
    }
    return out;
}
