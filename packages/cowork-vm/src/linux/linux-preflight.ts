import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { PreflightReport } from '../sandbox-types';
import { canReadXattrs, XATTR_READER } from '../changes/opaque-dirs';
import { supportedArch } from './seccomp-filter';
import { shq } from './shell-quote';

export interface ToolPaths {
    bwrap?: string;
    unshare?: string;
    socat?: string;
    ip?: string;
}

const SEARCH = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

export function findTools(): ToolPaths {
    const find = (name: string) => SEARCH.map(d => path.join(d, name)).find(p => isExecutable(p));
    return { bwrap: find('bwrap'), unshare: find('unshare'), socat: find('socat'), ip: find('ip') };
}

/**
 * Checks, by trying, that this machine can run the sandbox: bubblewrap present, unprivileged
 * user namespaces allowed, overlayfs mountable in one. Every problem names the fix.
 */
export async function linuxPreflight(stagingRoot: string, backend: string): Promise<PreflightReport> {
    const problems: string[] = [];
    const notes: string[] = [];
    const tools = findTools();
    if (!tools.bwrap) {
        problems.push('bubblewrap is not installed. Install it: `sudo apt install bubblewrap` (Debian/Ubuntu), `sudo dnf install bubblewrap` (Fedora), `sudo pacman -S bubblewrap` (Arch).');
    }
    if (!tools.unshare) {
        problems.push('`unshare` (util-linux) is missing. Install it: `sudo apt install util-linux`.');
    }
    if (!supportedArch()) {
        problems.push(`The seccomp filter supports x86_64 and arm64 only; this machine is ${process.arch}.`);
    }
    problems.push(...userNamespaceProblems());
    if (problems.length === 0) {
        const probe = probeNamespaces(stagingRoot, tools);
        if (probe) {
            problems.push(probe);
        }
    }
    if (!tools.socat || !tools.ip) {
        notes.push('A network allowlist needs socat and iproute2 (`sudo apt install socat iproute2`); without them only "no network" works.');
    }
    if (!canReadXattrs()) {
        problems.push(`Neither getfattr nor ${XATTR_READER} is installed; one is needed to read overlay markers of removed folders. Install one: \`sudo apt install attr\`.`);
    }
    return { ok: problems.length === 0, backend, problems, notes };
}

/** Reads the sysctls that commonly forbid unprivileged user namespaces. */
export function userNamespaceProblems(readSysctl: (name: string) => string | undefined = readSysctlFile): string[] {
    const out: string[] = [];
    if (readSysctl('kernel/apparmor_restrict_unprivileged_userns') === '1') {
        out.push('AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1, the Ubuntu 23.10+ default). '
            + 'Either allow them: `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` and persist it with '
            + '`echo kernel.apparmor_restrict_unprivileged_userns=0 | sudo tee /etc/sysctl.d/60-cowork-userns.conf`, '
            + 'or add an AppArmor profile granting `userns,` to /usr/bin/bwrap and /usr/bin/unshare (see packages/cowork-vm/README.md).');
    }
    if (readSysctl('kernel/unprivileged_userns_clone') === '0') {
        out.push('Unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0). Enable them: '
            + '`sudo sysctl -w kernel.unprivileged_userns_clone=1` and persist it in /etc/sysctl.d/60-cowork-userns.conf.');
    }
    if (readSysctl('user/max_user_namespaces') === '0') {
        out.push('User namespaces are disabled (user.max_user_namespaces=0). Enable them: `sudo sysctl -w user.max_user_namespaces=15000` and persist it in /etc/sysctl.d/60-cowork-userns.conf.');
    }
    return out;
}

/** Mounts an overlay in a user namespace and starts bubblewrap inside it, as a real run does. */
function probeNamespaces(stagingRoot: string, tools: ToolPaths): string | undefined {
    let dir: string;
    try {
        dir = fs.mkdtempSync(path.join(stagingRoot, 'cowork-probe-'));
    } catch (e) {
        return `Cannot create a staging folder in ${stagingRoot}: ${(e as Error).message}`;
    }
    try {
        for (const d of ['l', 'u', 'w', 'm']) {
            fs.mkdirSync(path.join(dir, d));
        }
        const q = (d: string) => shq(path.join(dir, d));
        const script = `mount -t overlay overlay -o userxattr,lowerdir=${q('l')},upperdir=${q('u')},workdir=${q('w')} ${q('m')} || exit 71
exec ${shq(tools.bwrap!)} --unshare-user --unshare-pid --unshare-net --die-with-parent --cap-drop ALL --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --proc /proc --dev /dev --bind ${q('m')} /m --remount-ro / /bin/sh -c 'echo ok > /m/probe'`;
        const r = spawnSync(tools.unshare!, ['--user', '--map-root-user', '--mount', '--', '/bin/sh', '-c', script], { encoding: 'utf8', timeout: 20_000 });
        const err = (r.stderr || r.error?.message || '').trim();
        if (r.status === 71) {
            return `overlayfs cannot be mounted in a user namespace here (Linux 5.11 or later is needed, and ${stagingRoot} must support user extended attributes): ${err}`;
        }
        if (r.status !== 0) {
            return `Unprivileged user namespaces do not work here: ${err || `exit ${r.status}`}. `
                + 'Check kernel.apparmor_restrict_unprivileged_userns, kernel.unprivileged_userns_clone and user.max_user_namespaces (see packages/cowork-vm/README.md).';
        }
        if (!fs.existsSync(path.join(dir, 'u', 'probe'))) {
            return 'overlayfs in a user namespace did not capture a write; change capture cannot work on this machine.';
        }
        return undefined;
    } finally {
        spawnSync('/bin/sh', ['-c', `chmod -R u+rwx ${shq(dir)} 2>/dev/null; rm -rf ${shq(dir)}`]);
    }
}

function readSysctlFile(name: string): string | undefined {
    try {
        return fs.readFileSync(`/proc/sys/${name}`, 'utf8').trim();
    } catch {
        return undefined;
    }
}

function isExecutable(p: string): boolean {
    try {
        fs.accessSync(p, fs.constants.X_OK);
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}
