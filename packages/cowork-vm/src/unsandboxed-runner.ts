import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChangeSet } from './changes/change-set';
import { OutputCollector } from './output-collector';
import type { SandboxBackend } from './sandbox-backend';
import { planRequest } from './linux/sandbox-plan';
import type { PreflightReport, RunHooks, RunResult, SandboxRequest } from './sandbox-types';

/**
 * NO isolation: the command runs as the user, on the real files. Only used when the user set
 * `allowUnsandboxed` explicitly; every result says `sandboxed: false` and carries a warning.
 * Changes are not captured (they already happened), so the change set is empty.
 */
export class UnsandboxedRunner implements SandboxBackend {
    readonly name = 'unsandboxed';

    async preflight(): Promise<PreflightReport> {
        return { ok: true, backend: this.name, problems: [], notes: ['Commands run WITHOUT isolation (allowUnsandboxed is set).'] };
    }

    run(request: SandboxRequest, hooks: RunHooks = {}): Promise<RunResult> {
        const plan = planRequest(request);
        const started = Date.now();
        return new Promise((resolve, reject) => {
            // A command too long for one argument runs from a temporary script instead.
            let script: string | undefined;
            if (Buffer.byteLength(plan.command) > 64 * 1024) {
                script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cowork-cmd-')), 'command.sh');
                fs.writeFileSync(script, plan.command, { mode: 0o600 });
            }
            const child = spawn('/bin/sh', script ? [script] : ['-c', plan.command], {
                cwd: plan.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
                // Still an explicit environment: no API keys from the host process.
                env: { ...plan.env, HOME: process.env.HOME ?? plan.home }
            });
            const stdout = new OutputCollector(4 * 1024 * 1024, t => hooks.onOutput?.('stdout', t));
            const stderr = new OutputCollector(4 * 1024 * 1024, t => hooks.onOutput?.('stderr', t));
            child.stdout.on('data', (c: Buffer) => stdout.push(c));
            child.stderr.on('data', (c: Buffer) => stderr.push(c));
            let timedOut = false;
            let cancelled = false;
            const kill = () => {
                try {
                    process.kill(-child.pid!, 'SIGKILL');
                } catch {
                    // Gone already.
                }
            };
            const timer = setTimeout(() => {
                timedOut = true;
                kill();
            }, plan.limits.wallTimeMs);
            const onAbort = () => {
                cancelled = true;
                kill();
            };
            hooks.signal?.addEventListener('abort', onAbort, { once: true });
            child.once('error', e => reject(new Error(`Cannot start /bin/sh: ${e.message}`)));
            child.once('close', (code, signal) => {
                clearTimeout(timer);
                if (script) {
                    fs.rmSync(path.dirname(script), { recursive: true, force: true });
                }
                hooks.signal?.removeEventListener('abort', onAbort);
                kill();
                stdout.end();
                stderr.end();
                resolve({
                    exitCode: code, signal, stdout: stdout.text(), stderr: stderr.text(),
                    outputTruncated: stdout.truncated || stderr.truncated, timedOut, cancelled,
                    durationMs: Date.now() - started, sandboxed: false, changes: ChangeSet.empty(), refusedConnections: [],
                    warnings: ['This command ran WITHOUT a sandbox (allowUnsandboxed): it could read and change anything your user can.']
                });
            });
        });
    }
}
