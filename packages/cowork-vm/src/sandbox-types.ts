import type { ChangeSet } from './changes/change-set';

/** A host folder the command may see, mounted at its own host path. */
export interface SandboxGrant {
    /** Absolute, symlink-free host path. */
    readonly path: string;
    readonly mode: 'rw' | 'ro';
}

/** `none`: no network at all. `allowlist`: HTTP(S) through the host proxy to these domains only. */
export type NetworkPolicy =
    | { mode: 'none' }
    | {
        mode: 'allowlist';
        /** `example.com` (exactly), `*.example.com` (sub-domains only) or `.example.com` (both). */
        domains: string[];
        /**
         * Addresses the proxy may connect to although they are loopback/private (an explicit
         * choice, e.g. a service on the user's LAN). Empty by default.
         */
        trustedAddresses?: string[];
    };

export interface SandboxLimits {
    /** CPU time of each process, in seconds (RLIMIT_CPU). */
    cpuSeconds?: number;
    /** Address space of each process, in bytes (RLIMIT_AS). */
    memoryBytes?: number;
    /** Processes and threads in the sandbox at once. */
    processes?: number;
    /** Largest file a process may write, in bytes (RLIMIT_FSIZE). */
    fileSizeBytes?: number;
    /** Open files per process. */
    openFiles?: number;
    /** Wall-clock time before the whole process tree is killed, in milliseconds. */
    wallTimeMs?: number;
    /** Size of the in-sandbox /tmp and home tmpfs, in bytes. */
    tmpBytes?: number;
}

export const DEFAULT_LIMITS: Required<SandboxLimits> = {
    cpuSeconds: 600,
    memoryBytes: 8 * 1024 ** 3,
    processes: 512,
    fileSizeBytes: 4 * 1024 ** 3,
    openFiles: 4096,
    wallTimeMs: 120_000,
    tmpBytes: 2 * 1024 ** 3
};

export interface SandboxRequest {
    /** Run by /bin/sh -c inside the sandbox. */
    command: string;
    /** Working directory; must be inside a grant (or the sandbox home when there are none). */
    cwd: string;
    grants: SandboxGrant[];
    network?: NetworkPolicy;
    limits?: SandboxLimits;
    /**
     * The whole environment the command gets, on top of a minimal PATH/HOME/LANG/TMPDIR. Nothing
     * is inherited from the host process.
     */
    env?: Record<string, string>;
    /** Host folder mounted read-write as $HOME (kept between commands); a fresh tmpfs otherwise. */
    homeDir?: string;
    /**
     * Host paths inside grants the command must not see (the app's data folder, ~/.ssh when a
     * whole home is granted): an empty read-only folder, or /dev/null for a file, is mounted
     * over each. Paths outside every grant are invisible anyway and ignored.
     */
    hiddenPaths?: string[];
    /**
     * Files $HOME starts with, by path relative to it (a fresh home gets them every time, a
     * kept homeDir only where missing). Default: a seeded LibreOffice profile.
     */
    homeFiles?: Record<string, string>;
}

export type OutputStream = 'stdout' | 'stderr';

export interface RefusedConnection {
    host: string;
    port: number;
    reason: string;
    time: string;
}

export interface RunHooks {
    onOutput?(stream: OutputStream, text: string): void;
    /** Called for every connection the network policy refused, as it happens. */
    onNetworkRefused?(refusal: RefusedConnection): void;
    signal?: AbortSignal;
}

export interface RunResult {
    /** Exit status of the command, or null when it was killed by a signal. */
    exitCode: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    /** True when the output was longer than kept in memory and the middle was dropped. */
    outputTruncated: boolean;
    timedOut: boolean;
    cancelled: boolean;
    durationMs: number;
    /** False only when the caller explicitly allowed running without isolation. */
    sandboxed: boolean;
    /** What the command did to read-write grants, not yet applied to them. */
    changes: ChangeSet;
    refusedConnections: RefusedConnection[];
    /** Things the caller should pass on (a limit that could not be enforced, …). */
    warnings: string[];
}

/** Outcome of the start-up check: `ok` or what exactly to install or change. */
export interface PreflightReport {
    ok: boolean;
    backend: string;
    problems: string[];
    /** Features that work but are degraded (e.g. network allowlist needs socat). */
    notes: string[];
}
