/**
 * `${VAR}` and `${VAR:-default}` as Claude Code expands them in MCP configs: bare `$VAR` is left
 * alone, and an unset variable without a default stays literally `${VAR}` (so the failure that
 * follows names it).
 */
export function expandVars(text: string, vars: Record<string, string | undefined>): string {
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, dflt: string | undefined) => {
        const v = vars[name];
        if (v !== undefined && v !== '') {
            return v;
        }
        if (dflt !== undefined) {
            return dflt;
        }
        return v ?? whole;
    });
}

/** The variable names a string refers to, for "set X to use this connector" messages. */
export function referencedVars(text: string): string[] {
    return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)].map(m => m[1]);
}
