import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OfficeError } from './office-error';
import { runCommand } from './run-command';

/** The seeded profile: always recalculate on load, and skip the first-start self-tests. */
const PROFILE_SEED = path.join(__dirname, '..', '..', 'assets', 'lo-profile');

/**
 * Headless LibreOffice, the independent engine that recalculates and renders office files.
 * Conversions sharing a profile directory silently lose output when they overlap, so every
 * instance owns one seeded profile and runs its conversions one at a time.
 */
export class LibreOffice {
    private queue: Promise<unknown> = Promise.resolve();
    private readonly profile: string;

    constructor(private readonly binary = process.env.COWORK_SOFFICE ?? 'soffice') {
        this.profile = fs.mkdtempSync(path.join(os.tmpdir(), `cowork-lo-${process.pid}-`));
        fs.cpSync(PROFILE_SEED, this.profile, { recursive: true });
        profilesToRemove.add(this.profile);
    }

    /**
     * Converts every input to `target` (a LibreOffice filter spec such as `pdf`, `xlsx` or
     * `csv:...`) in one launch, into `outDir`. Returns the output path of each input in order;
     * a missing output is an error naming the input, because soffice exits 0 even then.
     */
    convert(inputs: string[], target: string, outDir: string, signal?: AbortSignal): Promise<string[]> {
        const run = this.queue.then(() => this.convertNow(inputs, target, outDir, signal));
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async convertNow(inputs: string[], target: string, outDir: string, signal?: AbortSignal): Promise<string[]> {
        if (inputs.length === 0) {
            return [];
        }
        fs.mkdirSync(outDir, { recursive: true });
        const ext = target.split(':')[0];
        const expected = inputs.map(i => path.join(outDir, `${path.parse(i).name}.${ext}`));
        for (const e of expected) {
            fs.rmSync(e, { force: true });
        }
        const args = [`-env:UserInstallation=file://${this.profile}`, '--headless', '--norestore', '--nolockcheck',
            '--convert-to', target, '--outdir', outDir, ...inputs];
        const res = await runCommand(this.binary, args, { timeoutMs: 120_000 + 10_000 * inputs.length, signal });
        const missing = inputs.filter((_, i) => !fs.existsSync(expected[i]));
        if (missing.length > 0) {
            const why = /Error:[^\n]*/.exec(res.stderr)?.[0] ?? (res.code === null ? 'LibreOffice timed out' : `exit code ${res.code}`);
            throw new OfficeError(`LibreOffice could not convert ${missing.map(m => path.basename(m)).join(', ')} to ${ext}: ${why}`);
        }
        return expected;
    }

    dispose(): void {
        fs.rmSync(this.profile, { recursive: true, force: true });
        profilesToRemove.delete(this.profile);
    }
}

const profilesToRemove = new Set<string>();
process.on('exit', () => {
    for (const p of profilesToRemove) {
        try {
            fs.rmSync(p, { recursive: true, force: true });
        } catch {
            // Best effort at exit: a leftover profile in the temp folder harms nothing.
        }
    }
});

let shared: LibreOffice | undefined;
/** One instance per process is enough: conversions are serialized anyway. */
export function sharedLibreOffice(): LibreOffice {
    shared ??= new LibreOffice();
    return shared;
}
