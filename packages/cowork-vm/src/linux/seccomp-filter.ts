/**
 * A seccomp filter as raw classic-BPF bytes, generated in plain JavaScript so no native module
 * is needed. bubblewrap loads it with `--seccomp FD` just before it executes the command.
 *
 * The filter is defence in depth: the sandbox already runs without capabilities and with
 * further user namespaces disabled, so most of these calls would fail anyway. It denies what
 * has a history of kernel escapes or lets a process reach outside its own tree.
 */

const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;

// Classic BPF opcodes.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const AND_K = 0x54;
const RET_K = 0x06;

// Offsets in struct seccomp_data.
const OFF_NR = 0;
const OFF_ARCH = 4;
/** Low 32 bits of argument i (little-endian machines only, which both supported arches are). */
const offArgLow = (i: number) => 16 + 8 * i;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const AUDIT_ARCH_AARCH64 = 0xc00000b7;
const X32_SYSCALL_BIT = 0x40000000;

const CLONE_NEWTIME = 0x00000080;
const CLONE_NEWNS = 0x00020000;
const CLONE_NEWCGROUP = 0x02000000;
const CLONE_NEWUTS = 0x04000000;
const CLONE_NEWIPC = 0x08000000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWNET = 0x40000000;
const NAMESPACE_FLAGS = (CLONE_NEWTIME | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC
    | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET) >>> 0;

const TIOCSTI = 0x5412;
const TIOCLINUX = 0x541c;

/** The calls the sandbox refuses with EPERM, by name. */
export const DENIED_SYSCALLS = [
    'ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp',
    'mount', 'umount2', 'pivot_root', 'move_mount', 'open_tree', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'mount_setattr',
    'unshare', 'setns',
    'keyctl', 'add_key', 'request_key',
    'bpf', 'perf_event_open', 'userfaultfd',
    'io_uring_setup', 'io_uring_enter', 'io_uring_register',
    'init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load',
    'syslog', 'open_by_handle_at', 'name_to_handle_at',
    'acct', 'swapon', 'swapoff', 'reboot', 'quotactl', 'iopl', 'ioperm', 'uselib', 'chroot',
    'fanotify_init', 'lookup_dcookie', 'vhangup'
] as const;

type SyscallName = typeof DENIED_SYSCALLS[number] | 'clone' | 'clone3' | 'ioctl';

/** Syscall numbers per architecture; a name missing on an arch does not exist there. */
const SYSCALLS: Record<'x64' | 'arm64', Partial<Record<SyscallName, number>>> = {
    x64: {
        ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, kcmp: 312,
        mount: 165, umount2: 166, pivot_root: 155, move_mount: 429, open_tree: 428, fsopen: 430, fsconfig: 431,
        fsmount: 432, fspick: 433, mount_setattr: 442,
        unshare: 272, setns: 308,
        keyctl: 250, add_key: 248, request_key: 249,
        bpf: 321, perf_event_open: 298, userfaultfd: 323,
        io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
        init_module: 175, finit_module: 313, delete_module: 176, kexec_load: 246, kexec_file_load: 320,
        syslog: 103, open_by_handle_at: 304, name_to_handle_at: 303,
        acct: 163, swapon: 167, swapoff: 168, reboot: 169, quotactl: 179, iopl: 172, ioperm: 173, uselib: 134, chroot: 161,
        fanotify_init: 300, lookup_dcookie: 212, vhangup: 153,
        clone: 56, clone3: 435, ioctl: 16
    },
    arm64: {
        ptrace: 117, process_vm_readv: 270, process_vm_writev: 271, kcmp: 272,
        mount: 40, umount2: 39, pivot_root: 41, move_mount: 429, open_tree: 428, fsopen: 430, fsconfig: 431,
        fsmount: 432, fspick: 433, mount_setattr: 442,
        unshare: 97, setns: 268,
        keyctl: 219, add_key: 217, request_key: 218,
        bpf: 280, perf_event_open: 241, userfaultfd: 282,
        io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
        init_module: 105, finit_module: 273, delete_module: 106, kexec_load: 104, kexec_file_load: 294,
        syslog: 116, open_by_handle_at: 265, name_to_handle_at: 264,
        acct: 89, swapon: 224, swapoff: 225, reboot: 142, quotactl: 60, chroot: 51,
        fanotify_init: 262, lookup_dcookie: 18, vhangup: 58,
        clone: 220, clone3: 435, ioctl: 29
    }
};

interface Insn { code: number; jt: number; jf: number; k: number }

const stmt = (code: number, k: number): Insn => ({ code, jt: 0, jf: 0, k: k >>> 0 });
const jump = (code: number, k: number, jt: number, jf: number): Insn => ({ code, jt, jf, k: k >>> 0 });
const ret = (k: number): Insn => stmt(RET_K, k);

export function supportedArch(arch: string = process.arch): arch is 'x64' | 'arm64' {
    return arch === 'x64' || arch === 'arm64';
}

/** Builds the filter for `arch` (Node's process.arch naming) as the bytes bwrap reads. */
export function buildSeccompFilter(arch: string = process.arch): Buffer {
    if (!supportedArch(arch)) {
        throw new Error(`No seccomp filter for architecture ${arch}; supported: x64, arm64`);
    }
    const nr = SYSCALLS[arch];
    const deny = ret(SECCOMP_RET_ERRNO | EPERM);
    const prog: Insn[] = [];

    // Any other ABI (i386 via int 0x80 on x86_64, arm32 compat) would bypass the number checks.
    prog.push(stmt(LD_W_ABS, OFF_ARCH));
    prog.push(jump(JEQ_K, arch === 'x64' ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64, 1, 0));
    prog.push(deny);
    prog.push(stmt(LD_W_ABS, OFF_NR));
    if (arch === 'x64') {
        // x32 ABI numbers carry bit 30.
        prog.push(jump(JGE_K, X32_SYSCALL_BIT, 0, 1));
        prog.push(deny);
    }
    for (const name of DENIED_SYSCALLS) {
        const n = nr[name];
        if (n !== undefined) {
            prog.push(jump(JEQ_K, n, 0, 1));
            prog.push(deny);
        }
    }
    // clone3 passes flags in memory the filter cannot read: answer ENOSYS so libc falls back to clone.
    prog.push(jump(JEQ_K, nr.clone3!, 0, 1));
    prog.push(ret(SECCOMP_RET_ERRNO | ENOSYS));
    // clone with any namespace flag is refused; plain fork/thread creation passes.
    prog.push(jump(JEQ_K, nr.clone!, 0, 5));
    prog.push(stmt(LD_W_ABS, offArgLow(0)));
    prog.push(stmt(AND_K, NAMESPACE_FLAGS));
    prog.push(jump(JEQ_K, 0, 0, 1));
    prog.push(ret(SECCOMP_RET_ALLOW));
    prog.push(deny);
    // ioctl(TIOCSTI) pushes keystrokes into the controlling terminal's input; TIOCLINUX can too.
    prog.push(jump(JEQ_K, nr.ioctl!, 0, 5));
    prog.push(stmt(LD_W_ABS, offArgLow(1)));
    prog.push(jump(JEQ_K, TIOCSTI, 2, 0));
    prog.push(jump(JEQ_K, TIOCLINUX, 1, 0));
    prog.push(ret(SECCOMP_RET_ALLOW));
    prog.push(deny);
    prog.push(ret(SECCOMP_RET_ALLOW));
    return encode(prog);
}

function encode(prog: Insn[]): Buffer {
    const buf = Buffer.alloc(prog.length * 8);
    prog.forEach((insn, i) => {
        buf.writeUInt16LE(insn.code, i * 8);
        buf.writeUInt8(insn.jt, i * 8 + 2);
        buf.writeUInt8(insn.jf, i * 8 + 3);
        buf.writeUInt32LE(insn.k, i * 8 + 4);
    });
    return buf;
}
