import type { PreflightReport, RunHooks, RunResult, SandboxRequest } from './sandbox-types';

/**
 * One way of isolating a command on one platform. The Linux backend uses bubblewrap inside an
 * unprivileged user namespace; macOS (Seatbelt) and Windows (WSL2) would implement the same
 * interface (see README.md).
 */
export interface SandboxBackend {
    readonly name: string;
    /** Checks the host can isolate commands; says exactly what to install or change if not. */
    preflight(): Promise<PreflightReport>;
    run(request: SandboxRequest, hooks?: RunHooks): Promise<RunResult>;
}

/** Raised when isolation is unavailable; the message says what to install or change. */
export class SandboxUnavailableError extends Error {
    constructor(readonly report: PreflightReport) {
        super(`Commands cannot be isolated on this machine (${report.backend}):\n- ${report.problems.join('\n- ')}`);
        this.name = 'SandboxUnavailableError';
    }
}

/** Bad input to `run`: says what and where. */
export class SandboxRequestError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'SandboxRequestError';
    }
}
