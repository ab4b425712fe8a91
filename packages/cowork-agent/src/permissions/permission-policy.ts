import picomatch from 'picomatch';

export type Decision = 'allow' | 'ask' | 'deny';

/**
 * What a tool is about to do that may need the user's consent.
 * `delete`: a file or folder goes away; `overwrite`: an existing file's content is replaced;
 * `move-over`: a move lands on an existing file; `shell-delete` / `shell-overwrite`: a shell
 * command did one of those; `connector`: the first use of an MCP tool.
 */
export type PermissionAction = 'delete' | 'overwrite' | 'move-over' | 'shell-delete' | 'shell-overwrite' | 'connector' | 'network' | string;

/** One rule of the policy. Unset fields match anything; tool and path are globs. */
export interface PolicyRule {
    tool?: string;
    action?: PermissionAction;
    path?: string;
    decision: Decision;
}

/** The defaults: destroying data asks, everything else inside the grants is allowed. */
export const DEFAULT_POLICY: PolicyRule[] = [
    { action: 'delete', decision: 'ask' },
    { action: 'overwrite', decision: 'ask' },
    { action: 'move-over', decision: 'ask' },
    { action: 'shell-delete', decision: 'ask' },
    { action: 'shell-overwrite', decision: 'ask' },
    { action: 'connector', decision: 'ask' },
    { decision: 'allow' }
];

/**
 * Policy as data: the first rule matching (tool, action, every path) decides. User rules go in
 * front of the defaults. A rule with a path pattern matches only when all the request's paths match.
 */
export class PermissionPolicy {
    private readonly compiled: { rule: PolicyRule; tool?: (s: string) => boolean; path?: (s: string) => boolean }[];

    constructor(rules: PolicyRule[] = [], defaults: PolicyRule[] = DEFAULT_POLICY) {
        this.compiled = [...rules, ...defaults].map(rule => ({
            rule,
            tool: rule.tool ? picomatch(rule.tool) : undefined,
            path: rule.path ? picomatch(rule.path, { dot: true }) : undefined
        }));
    }

    decide(tool: string, action: PermissionAction, paths: string[]): Decision {
        for (const c of this.compiled) {
            if (c.tool && !c.tool(tool)) {
                continue;
            }
            if (c.rule.action && c.rule.action !== action) {
                continue;
            }
            if (c.path && !(paths.length > 0 && paths.every(p => c.path!(p)))) {
                continue;
            }
            return c.rule.decision;
        }
        return 'ask';
    }
}
