/**
 * Which host names the sandbox may reach. Entries: `example.com` (that name only),
 * `*.example.com` (its sub-domains only), `.example.com` (the name and its sub-domains).
 */
export class DomainAllowlist {
    private readonly exact = new Set<string>();
    private readonly suffixes: string[] = [];

    constructor(entries: readonly string[]) {
        for (const raw of entries) {
            const e = normalizeHost(raw);
            if (!/^(\*\.|\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(e) && !/^[0-9a-f:.]+$/.test(e)) {
                throw new Error(`Invalid network allowlist entry "${raw}": expected a domain like example.com, *.example.com or .example.com`);
            }
            if (e.startsWith('*.')) {
                this.suffixes.push(e.slice(1));
            } else if (e.startsWith('.')) {
                this.exact.add(e.slice(1));
                this.suffixes.push(e);
            } else {
                this.exact.add(e);
            }
        }
    }

    allows(host: string): boolean {
        const h = normalizeHost(host);
        return this.exact.has(h) || this.suffixes.some(s => h.endsWith(s) && h.length > s.length);
    }
}

/** Lower case, no trailing dot, no IPv6 brackets. */
export function normalizeHost(host: string): string {
    return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}
