import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../util/atomic-write';

interface ApprovalFile {
    approved: Record<string, string>;
}

/**
 * Which connector tools the user has allowed, per server and tool, kept in the data folder so
 * the question is asked once. A denial holds for the life of this object only (the session):
 * a "no" should not silently disable a connector for good.
 */
export class ConnectorApprovals {
    private readonly denied = new Set<string>();

    constructor(private readonly file: string) { }

    isApproved(tool: string): boolean {
        return Object.prototype.hasOwnProperty.call(this.read().approved, tool);
    }

    isDenied(tool: string): boolean {
        return this.denied.has(tool);
    }

    approve(tool: string): void {
        const data = this.read();
        data.approved[tool] = new Date().toISOString();
        fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
        writeFileAtomic(this.file, JSON.stringify(data, null, 2) + '\n', 0o600);
    }

    deny(tool: string): void {
        this.denied.add(tool);
    }

    /** Forgets approvals (all, or those of one server: `mcp__server__`). */
    revoke(prefix = ''): number {
        const data = this.read();
        const keys = Object.keys(data.approved).filter(k => k.startsWith(prefix));
        keys.forEach(k => delete data.approved[k]);
        if (keys.length > 0) {
            writeFileAtomic(this.file, JSON.stringify(data, null, 2) + '\n', 0o600);
        }
        return keys.length;
    }

    list(): string[] {
        return Object.keys(this.read().approved).sort();
    }

    private read(): ApprovalFile {
        try {
            const v = JSON.parse(fs.readFileSync(this.file, 'utf8'));
            if (v && typeof v.approved === 'object' && !Array.isArray(v.approved)) {
                return v;
            }
        } catch {
            // missing or unreadable: nothing approved yet
        }
        return { approved: {} };
    }
}
