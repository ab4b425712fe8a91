import { LinuxSandbox, LinuxSandboxOptions } from './linux/linux-sandbox';
import { SandboxBackend, SandboxUnavailableError } from './sandbox-backend';
import { UnsandboxedRunner } from './unsandboxed-runner';

export interface CreateSandboxOptions extends LinuxSandboxOptions {
    /** Run commands without isolation when the platform has none. Off unless the user sets it. */
    allowUnsandboxed?: boolean;
    platform?: NodeJS.Platform;
}

/**
 * Picks the backend for this platform and checks it works. Without isolation it throws (with
 * what to install or change) unless `allowUnsandboxed` was set explicitly.
 */
export async function createSandbox(options: CreateSandboxOptions = {}): Promise<SandboxBackend> {
    const platform = options.platform ?? process.platform;
    if (platform === 'linux') {
        const linux = new LinuxSandbox(options);
        const report = await linux.preflight();
        if (report.ok) {
            return linux;
        }
        if (options.allowUnsandboxed) {
            return new UnsandboxedRunner();
        }
        throw new SandboxUnavailableError(report);
    }
    if (options.allowUnsandboxed) {
        return new UnsandboxedRunner();
    }
    const hint = platform === 'darwin'
        ? 'The macOS backend (a generated Seatbelt profile) is designed but not built yet; see packages/cowork-vm/README.md.'
        : platform === 'win32'
            ? 'On Windows, run Cowork inside WSL2 (a Linux distribution) where the Linux backend works; see packages/cowork-vm/README.md.'
            : `No sandbox backend exists for ${platform}.`;
    throw new SandboxUnavailableError({ ok: false, backend: platform, problems: [hint], notes: [] });
}
