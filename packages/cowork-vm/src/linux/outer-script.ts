import { ARGS_FD, INFO_FD, SECCOMP_FD } from './bwrap-args';
import type { OverlayGrant } from './sandbox-plan';
import { shq } from './shell-quote';

export const SETUP_FAILURE_EXIT = 125;
export const SETUP_FAILURE_MARK = 'cowork-sandbox-setup:';
export const RELAY_PORT = 3128;

/** Paths overlayfs options can carry as they are (no comma, colon, backslash or space). */
const SIMPLE_PATH = /^\/[A-Za-z0-9._\/+@=-]*$/;

export interface OuterScriptInputs {
    cgroupProcs?: string;
    rlimits: { cpuSeconds: number; fileSizeBytes: number; memoryBytes: number; openFiles: number; processes: number };
    overlays: OverlayGrant[];
    /** The proxy's Unix socket, when the network is an allowlist. */
    proxySocket?: string;
    argsFile: string;
    /** Where bubblewrap's --info-fd output goes. */
    infoFile: string;
    /** The command line bubblewrap runs (after `--`). */
    command: string[];
    /** Files opened on these descriptors for bubblewrap's `--file`. */
    fdFiles: [number, string][];
    seccompFile: string;
    bwrap: string;
    socat: string;
}

/**
 * The outer layer, run by /bin/sh inside `unshare --user --map-root-user --mount [--net]`:
 * joins the pids cgroup, sets the rlimits (RLIMIT_NPROC here counts only this user namespace's
 * processes), brings up the relay to the host proxy, mounts an overlay over each read-write
 * grant so the command's writes land in a staging folder, then becomes bubblewrap.
 */
export function outerScript(i: OuterScriptInputs): string {
    const fail = (what: string) => `{ echo ${shq(`${SETUP_FAILURE_MARK} ${what}`)} >&2; exit ${SETUP_FAILURE_EXIT}; }`;
    const lines: string[] = [];
    if (i.cgroupProcs) {
        lines.push(`echo $$ > ${shq(i.cgroupProcs)} || ${fail('cannot join the pids cgroup')}`);
    }
    const r = i.rlimits;
    // dash's ulimit takes one limit per call; -p is RLIMIT_NPROC.
    const limits: [string, number][] = [
        ['c', 0], ['t', Math.ceil(r.cpuSeconds)], ['f', Math.max(1, Math.floor(r.fileSizeBytes / 512))],
        ['v', Math.ceil(r.memoryBytes / 1024)], ['n', Math.ceil(r.openFiles)], ['p', Math.ceil(r.processes)]
    ];
    lines.push(limits.map(([flag, value]) => `ulimit -${flag} ${value}`).join(' && ') + ` || ${fail('cannot set resource limits')}`);
    if (i.proxySocket) {
        lines.push(`ip link set lo up || ${fail('cannot bring up loopback (is iproute2 installed?)')}`);
        // The relay dies with this process (which becomes bubblewrap): no orphan keeps the port.
        lines.push(`setpriv --pdeathsig KILL ${shq(i.socat)} TCP-LISTEN:${RELAY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${shq(i.proxySocket)} &`);
    }
    for (const o of i.overlays) {
        if (SIMPLE_PATH.test(o.grant.path)) {
            // overlayfs may be mounted over its own lower folder: one mount instead of three.
            lines.push(`mount -t overlay overlay -o userxattr,lowerdir=${shq(o.grant.path)},upperdir=${shq(o.upper)},workdir=${shq(o.work)} ${shq(o.grant.path)} || ${fail(`cannot mount an overlay over ${o.grant.path}`)}`);
            continue;
        }
        // Paths with characters the overlay options cannot carry go through a plain alias.
        lines.push(`mount --bind ${shq(o.grant.path)} ${shq(o.lower)} || ${fail(`cannot bind ${o.grant.path}`)}`);
        lines.push(`mount -t overlay overlay -o userxattr,lowerdir=${shq(o.lower)},upperdir=${shq(o.upper)},workdir=${shq(o.work)} ${shq(o.merged)} || ${fail(`cannot mount an overlay over ${o.grant.path}`)}`);
        lines.push(`mount --bind ${shq(o.merged)} ${shq(o.grant.path)} || ${fail(`cannot bind the overlay over ${o.grant.path}`)}`);
    }
    if (i.proxySocket) {
        // Waiting after the mounts lets socat start meanwhile.
        const port = RELAY_PORT.toString(16).toUpperCase().padStart(4, '0');
        // A fork-free poll of the listening sockets: under load, a grep per round costs more than socat's start.
        lines.push(`relay_ready() { while read -r _ local _ state _; do [ "$local" = 0100007F:${port} ] && [ "$state" = 0A ] && return 0; done < /proc/net/tcp; return 1; }`);
        lines.push(`n=0; until relay_ready; do n=$((n+1)); [ $n -lt 1000000 ] || ${fail('the network relay (socat) did not start')}; done`);
    }
    lines.push(`exec ${shq(i.bwrap)} --args ${ARGS_FD} -- ${i.command.map(shq).join(' ')} ${ARGS_FD}< ${shq(i.argsFile)} ${SECCOMP_FD}< ${shq(i.seccompFile)} ${INFO_FD}> ${shq(i.infoFile)}${i.fdFiles.map(([fd, file]) => ` ${fd}< ${shq(file)}`).join('')}`);
    return lines.join('\n');
}
