/**
 * A failure the caller should show as it is: it names what went wrong and where, and carries no
 * stack trace meant for a person. Anything else thrown from this package is a bug.
 */
export class OfficeError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'OfficeError';
    }
}

/** The message of any thrown value, for wrapping a library's error into an OfficeError. */
export function messageOf(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
