import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChangeSet, Change, discardStaging, removeStaging } from '../changes/change-set';
import { inspectUpperLayer } from '../changes/overlay-inspector';
import { EgressProxy } from '../network/egress-proxy';
import { OutputCollector } from '../output-collector';
import { SandboxBackend, SandboxRequestError, SandboxUnavailableError } from '../sandbox-backend';
import type { PreflightReport, RefusedConnection, RunHooks, RunResult, SandboxRequest } from '../sandbox-types';
import { bwrapArgs, MAX_INLINE_COMMAND, sandboxCommand, stagedIdentityPaths } from './bwrap-args';
import { outerScript, SETUP_FAILURE_EXIT, SETUP_FAILURE_MARK } from './outer-script';
import { linuxPreflight, ToolPaths, findTools } from './linux-preflight';
import { PidsCgroup } from './process-limit';
import { isInside, OverlayGrant, overlayRoots, planRequest, SandboxPlan } from './sandbox-plan';
import { buildSeccompFilter } from './seccomp-filter';
import { SocketFileScanner } from './socket-files';
import { FIRST_HOME_FILE_FD } from './home-seed';
import { identityFiles } from './system-mounts';

export interface LinuxSandboxOptions {
    /** Where each run's staging folder goes (overlay layers, proxy socket). Default: os.tmpdir(). */
    stagingRoot?: string;
    /** Characters of each output stream kept in memory (head and tail). Default 4 MiB. */
    maxOutputChars?: number;
}

class SandboxSetupError extends Error { }

/**
 * Runs commands with bubblewrap inside an outer unprivileged user + mount (+ network) namespace.
 * See README.md for the layers and what each one stops.
 */
export class LinuxSandbox implements SandboxBackend {
    readonly name = 'linux-bubblewrap';
    private preflightResult?: Promise<PreflightReport>;
    private readonly stagingRoot: string;
    private readonly maxOutputChars: number;
    private seccomp?: Buffer;
    private readonly sockets = new SocketFileScanner();

    constructor(options: LinuxSandboxOptions = {}) {
        this.stagingRoot = options.stagingRoot ?? os.tmpdir();
        this.maxOutputChars = options.maxOutputChars ?? 4 * 1024 * 1024;
        if (/[,:\\\s]/.test(this.stagingRoot)) {
            throw new SandboxRequestError(`stagingRoot: ${this.stagingRoot} must not contain commas, colons, backslashes or spaces (overlayfs options cannot carry them)`);
        }
    }

    preflight(): Promise<PreflightReport> {
        if (!this.preflightResult) {
            sweepDiscarded(this.stagingRoot);
            PidsCgroup.sweep();
        }
        this.preflightResult ??= linuxPreflight(this.stagingRoot, this.name);
        return this.preflightResult;
    }

    async run(request: SandboxRequest, hooks: RunHooks = {}): Promise<RunResult> {
        const report = await this.preflight();
        if (!report.ok) {
            throw new SandboxUnavailableError(report);
        }
        const plan = planRequest(request);
        const stagingReal = fs.realpathSync(this.stagingRoot);
        const exposing = plan.grants.find(g => isInside(stagingReal, g.path));
        if (exposing) {
            throw new SandboxRequestError(`grants: ${exposing.path} contains the sandbox's staging folder ${stagingReal}; grant a narrower folder or set stagingRoot elsewhere`);
        }
        const tools = findTools();
        if (plan.network.mode === 'allowlist' && (!tools.socat || !tools.ip)) {
            throw new SandboxUnavailableError({ ok: false, backend: this.name, notes: [], problems: ['A network allowlist needs socat and iproute2: sudo apt install socat iproute2'] });
        }
        // The owner's pid in the name lets a later process remove it if this one is killed.
        const staging = fs.mkdtempSync(path.join(this.stagingRoot, `cowork-run-${process.pid}-`));
        let changes: Change[] = [];
        let keepStaging = false;
        try {
            const result = await this.runStaged(plan, staging, tools, hooks);
            changes = result.overlays.flatMap(o => inspectUpperLayer(o.upper, o.grant.path));
            keepStaging = changes.length > 0;
            return { ...result.result, changes: new ChangeSet(changes, keepStaging ? staging : undefined) };
        } finally {
            if (!keepStaging) {
                discardStaging(staging);
            }
        }
    }

    private async runStaged(plan: SandboxPlan, staging: string, tools: ToolPaths, hooks: RunHooks): Promise<{ result: Omit<RunResult, 'changes'>; overlays: OverlayGrant[] }> {
        const warnings: string[] = [];
        const overlays = overlayRoots(plan.grants).map((grant, i) => {
            const o: OverlayGrant = {
                grant,
                lower: path.join(staging, `lower${i}`),
                upper: path.join(staging, `upper${i}`),
                work: path.join(staging, `work${i}`),
                merged: path.join(staging, `merged${i}`)
            };
            for (const d of [o.lower, o.upper, o.work, o.merged]) {
                fs.mkdirSync(d);
            }
            return o;
        });

        const identity = identityFiles(plan.home);
        const identityPaths = stagedIdentityPaths(staging, Object.keys(identity));
        for (const [name, text] of Object.entries(identity)) {
            fs.writeFileSync(identityPaths[name], text, { mode: 0o644 });
        }
        const seccompFile = path.join(staging, 'seccomp.bpf');
        this.seccomp ??= buildSeccompFilter();
        fs.writeFileSync(seccompFile, this.seccomp, { mode: 0o600 });

        const found = this.sockets.scan(plan.grants.map(g => g.path));
        if (!found.complete) {
            warnings.push('The granted folders are too large to scan fully for socket files; sockets beyond the first 200,000 entries are not masked.');
        }

        const refused: RefusedConnection[] = [];
        let proxy: EgressProxy | undefined;
        const proxySocket = path.join(staging, 'proxy.sock');
        if (plan.network.mode === 'allowlist') {
            proxy = await EgressProxy.start(proxySocket, plan.network, r => {
                refused.push(r);
                hooks.onNetworkRefused?.(r);
            });
        }

        const cgroup = PidsCgroup.create(plan.limits.processes + 8);
        if (!cgroup && process.getuid?.() === 0) {
            warnings.push(`The process-count limit is not enforced: running as root, and no pids cgroup could be created (${plan.limits.processes} processes requested).`);
        }

        const homeFileFds = this.stageHomeFiles(plan, staging);
        const argsFile = path.join(staging, 'bwrap.args');
        const infoFile = path.join(staging, 'bwrap-info.json');
        const outerNet = plan.network.mode === 'allowlist';
        let longCommandFile: string | undefined;
        if (Buffer.byteLength(plan.command) > MAX_INLINE_COMMAND) {
            longCommandFile = path.join(staging, 'command.sh');
            fs.writeFileSync(longCommandFile, plan.command, { mode: 0o644 });
        }
        const args = bwrapArgs({ plan, identity: identityPaths, sockets: found.sockets, outerNet, homeFileFds: homeFileFds.map(([fd, , dest]) => [fd, dest]), longCommandFile });
        fs.writeFileSync(argsFile, args.map(x => x + '\0').join(''), { mode: 0o600 });

        const script = outerScript({
            cgroupProcs: cgroup?.procsFile,
            rlimits: plan.limits,
            overlays,
            proxySocket: proxy ? proxySocket : undefined,
            argsFile, seccompFile, infoFile, command: sandboxCommand(plan.command),
            fdFiles: homeFileFds.map(([fd, file]) => [fd, file]),
            bwrap: tools.bwrap!, socat: tools.socat ?? 'socat'
        });
        const needsOuter = overlays.length > 0 || outerNet;
        // The whole chain (unshare → sh → bwrap) dies with this process from its first instruction:
        // bwrap's own --die-with-parent comes too late if this process is killed during the set-up.
        const argv = ['setpriv', '--pdeathsig', 'KILL', '--', ...(needsOuter
            ? [tools.unshare!, '--user', '--map-root-user', '--mount', ...(outerNet ? ['--net'] : []), '--', '/bin/sh', '-c', script]
            : ['/bin/sh', '-c', script])];
        try {
            const result = await this.spawnAndWait(argv, plan, hooks);
            // bubblewrap's outer process reports the exit status before its pid 1 has finished
            // killing the rest: wait for that, so nothing writes to the staging area once read.
            await endSandboxInit(infoFile);
            return { result: { ...result, refusedConnections: refused, warnings: [...warnings, ...result.warnings] }, overlays };
        } finally {
            await proxy?.close();
            cgroup?.destroy();
        }
    }

    /**
     * A fresh home gets the seed files through descriptors ([fd, staged file, path inside]); a
     * kept home folder gets those it lacks written directly.
     */
    private stageHomeFiles(plan: SandboxPlan, staging: string): [number, string, string][] {
        const entries = Object.entries(plan.homeFiles);
        if (plan.homeDir) {
            for (const [rel, text] of entries) {
                const target = path.join(plan.homeDir, rel);
                if (!fs.existsSync(target)) {
                    fs.mkdirSync(path.dirname(target), { recursive: true });
                    fs.writeFileSync(target, text);
                }
            }
            return [];
        }
        return entries.map(([rel, text], i) => {
            const file = path.join(staging, `home-file-${i}`);
            fs.writeFileSync(file, text, { mode: 0o600 });
            return [FIRST_HOME_FILE_FD + i, file, path.posix.join(plan.home, rel)];
        });
    }

    private spawnAndWait(argv: string[], plan: SandboxPlan, hooks: RunHooks): Promise<Omit<RunResult, 'changes' | 'refusedConnections'>> {
        const started = Date.now();
        return new Promise((resolve, reject) => {
            const child = spawn(argv[0], argv.slice(1), {
                stdio: ['ignore', 'pipe', 'pipe'],
                // The sandbox's pid 1 keeps this cwd and environment; neither may tell anything about the host.
                cwd: '/',
                // Only what the outer layer needs; the command's own environment comes from bwrap.
                env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
                // Its own process group, so one kill reaches the relay and everything else.
                detached: true
            });
            const stdout = new OutputCollector(this.maxOutputChars, t => hooks.onOutput?.('stdout', t));
            const stderr = new OutputCollector(this.maxOutputChars, t => hooks.onOutput?.('stderr', t));
            child.stdout.on('data', (c: Buffer) => stdout.push(c));
            child.stderr.on('data', (c: Buffer) => stderr.push(c));
            let timedOut = false;
            let cancelled = false;
            const killGroup = () => {
                try {
                    process.kill(-child.pid!, 'SIGKILL');
                } catch {
                    // The group is already gone.
                }
            };
            const timer = setTimeout(() => {
                timedOut = true;
                killGroup();
            }, plan.limits.wallTimeMs);
            const onAbort = () => {
                cancelled = true;
                killGroup();
            };
            if (hooks.signal?.aborted) {
                onAbort();
            }
            hooks.signal?.addEventListener('abort', onAbort, { once: true });
            child.once('error', e => {
                clearTimeout(timer);
                hooks.signal?.removeEventListener('abort', onAbort);
                reject(new SandboxSetupError(`Cannot start ${argv[0]}: ${e.message}`));
            });
            child.once('close', (code, signal) => {
                clearTimeout(timer);
                hooks.signal?.removeEventListener('abort', onAbort);
                killGroup();
                stdout.end();
                stderr.end();
                const err = stderr.text();
                if (!timedOut && !cancelled && isSetupFailure(code, err)) {
                    reject(new SandboxSetupError(`The sandbox could not be set up: ${err.trim()}`));
                    return;
                }
                const warnings: string[] = [];
                if (timedOut) {
                    warnings.push(`The command ran longer than ${Math.round(plan.limits.wallTimeMs / 1000)} s and was killed with all its processes.`);
                }
                resolve({
                    exitCode: code, signal, stdout: stdout.text(), stderr: err,
                    outputTruncated: stdout.truncated || stderr.truncated,
                    timedOut, cancelled, durationMs: Date.now() - started, sandboxed: true, warnings
                });
            });
        });
    }
}

async function endSandboxInit(infoFile: string): Promise<void> {
    let pid: number | undefined;
    try {
        pid = JSON.parse(fs.readFileSync(infoFile, 'utf8'))['child-pid'];
    } catch {
        return; // bubblewrap never got as far as starting the sandbox.
    }
    if (!Number.isInteger(pid) || pid! <= 1) {
        return;
    }
    for (let i = 0; i < 400; i++) {
        const state = processState(pid!);
        if (state === undefined || state === 'Z' || state === 'X') {
            return;
        }
        if (i === 0 && isBwrap(pid!)) {
            try {
                process.kill(pid!, 'SIGKILL');
            } catch {
                return;
            }
        }
        await new Promise(resolve => setTimeout(resolve, 5));
    }
}

/** The one-letter state from /proc/PID/stat, or undefined when the process is gone. */
function processState(pid: number): string | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
        return undefined;
    }
}

/** Guards against killing a recycled pid: the sandbox's pid 1 is a bubblewrap process. */
function isBwrap(pid: number): boolean {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith('bwrap');
    } catch {
        return false;
    }
}

/** Staging folders discarded but not yet removed, or left by a process that was killed. */
function sweepDiscarded(root: string): void {
    let names: string[];
    try {
        names = fs.readdirSync(root);
    } catch {
        return;
    }
    for (const name of names) {
        const owner = /^cowork-run-(\d+)-/.exec(name);
        const stale = /^cowork-run-.*\.discarded$/.test(name) || (owner !== null && !isAlive(Number(owner[1])));
        if (stale) {
            try {
                removeStaging(path.join(root, name));
            } catch {
                // Someone else's, or still in use; left alone.
            }
        }
    }
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
}

function isSetupFailure(code: number | null, stderr: string): boolean {
    return (code === SETUP_FAILURE_EXIT && stderr.includes(SETUP_FAILURE_MARK)) || (code === 1 && stderr.startsWith('bwrap: '));
}
