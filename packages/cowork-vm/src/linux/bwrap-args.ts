import * as path from 'path';
import type { SandboxPlan } from './sandbox-plan';
import { SANDBOX_HOSTNAME, SANDBOX_UID, systemMountArgs } from './system-mounts';

export const SECCOMP_FD = 3;
export const ARGS_FD = 4;
/** bubblewrap writes {"child-pid": N} here: the sandbox's pid 1, whose death ends every process in it. */
export const INFO_FD = 5;

export interface BwrapInputs {
    plan: SandboxPlan;
    /** Staged identity files (passwd, group, hosts, hostname) by name. */
    identity: Record<string, string>;
    /** Socket files inside grants, masked with /dev/null. */
    sockets: string[];
    /** True when the outer layer already made the network namespace (allowlist mode). */
    outerNet: boolean;
    /** Home seed files bubblewrap copies in from these descriptors: [fd, path inside]. */
    homeFileFds: [number, string][];
    /** The staged script holding a command too long to pass as an argument. */
    longCommandFile?: string;
}

/** Where a command too long for one argument is mounted inside, as a script. */
export const LONG_COMMAND_PATH = '/run/cowork-command.sh';
/** Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); stay well below it. */
export const MAX_INLINE_COMMAND = 64 * 1024;

/**
 * bubblewrap reads options from `--args FD`, but the command itself must follow on its command
 * line; a very long command (a big heredoc) is run from a file instead.
 */
export function sandboxCommand(command: string): string[] {
    return Buffer.byteLength(command) > MAX_INLINE_COMMAND ? ['/bin/sh', LONG_COMMAND_PATH] : ['/bin/sh', '-c', command];
}

/**
 * bubblewrap's options. Order matters: system mounts, then tmpfs areas, then grants (parents
 * first), then masks over sockets, then `--remount-ro /` so nothing outside the grants and the
 * scratch areas can be written.
 */
export function bwrapArgs({ plan, identity, sockets, outerNet, homeFileFds, longCommandFile }: BwrapInputs): string[] {
    const a: string[] = [
        '--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID), '--disable-userns',
        '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', SANDBOX_HOSTNAME, '--unshare-cgroup-try',
        '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv'
    ];
    if (!outerNet) {
        a.push('--unshare-net');
    }
    a.push(...systemMountArgs());
    for (const [name, file] of Object.entries(identity)) {
        a.push('--ro-bind', file, `/etc/${name}`);
    }
    if (longCommandFile) {
        a.push('--ro-bind', longCommandFile, LONG_COMMAND_PATH);
    }
    a.push('--proc', '/proc', '--dev', '/dev');
    a.push('--size', String(plan.limits.tmpBytes), '--tmpfs', '/tmp');
    a.push('--size', String(plan.limits.tmpBytes), '--tmpfs', '/dev/shm');
    a.push('--symlink', '../tmp', '/var/tmp');
    if (plan.homeDir) {
        a.push('--bind', plan.homeDir, plan.home);
    } else if (plan.home.startsWith('/tmp/')) {
        a.push('--dir', plan.home);
    } else {
        a.push('--size', String(plan.limits.tmpBytes), '--tmpfs', plan.home);
    }
    for (const [fd, dest] of homeFileFds) {
        a.push('--perms', '0644', '--file', String(fd), dest);
    }
    for (const g of plan.grants) {
        a.push(g.mode === 'rw' ? '--bind' : '--ro-bind', g.path, g.path);
    }
    for (const s of sockets) {
        a.push('--ro-bind', '/dev/null', s);
    }
    for (const h of plan.hidden) {
        if (h.dir) {
            a.push('--tmpfs', h.path, '--remount-ro', h.path);
        } else {
            a.push('--ro-bind', '/dev/null', h.path);
        }
    }
    a.push('--remount-ro', '/');
    a.push('--chdir', plan.cwd);
    for (const [k, v] of Object.entries(plan.env)) {
        a.push('--setenv', k, v);
    }
    a.push('--seccomp', String(SECCOMP_FD), '--info-fd', String(INFO_FD));
    return a;
}

export function stagedIdentityPaths(staging: string, names: string[]): Record<string, string> {
    return Object.fromEntries(names.map(n => [n, path.join(staging, `etc-${n}`)]));
}
