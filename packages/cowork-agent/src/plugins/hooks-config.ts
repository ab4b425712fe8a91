import type { PluginIssue } from './plugin-types';
import type { PositionedJson } from './positioned-json';

export const RUN_EVENTS = ['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'SessionStart', 'Stop'] as const;
export type HookEvent = typeof RUN_EVENTS[number];

/** Events Claude Code defines that Cowork accepts in a file but does not fire. */
const KNOWN_NOT_RUN = new Set(['PostToolUseFailure', 'Notification', 'SubagentStart', 'SubagentStop', 'PreCompact',
    'PostCompact', 'SessionEnd', 'PermissionRequest', 'Setup', 'TeammateIdle', 'TaskCompleted', 'ConfigChange',
    'WorktreeCreate', 'WorktreeRemove', 'InstructionsLoaded', 'StopFailure', 'Elicitation', 'ElicitationResult']);

export interface HookCommand {
    command: string;
    /** Seconds; Claude Code's default is 60. */
    timeout?: number;
    /** Permission-rule style filter, e.g. `Bash(git *)`. */
    if?: string;
}

export interface HookGroup {
    event: HookEvent;
    /** Regex on the tool name (tool events) or the source (SessionStart); empty/`*` = all. */
    matcher?: string;
    hooks: HookCommand[];
    plugin: string;
    pluginRoot: string;
    file: string;
    line: number;
}

export type HooksConfig = HookGroup[];

/** Reads `{ "hooks": { Event: [ { matcher?, hooks: [ {type:"command", command, timeout?} ] } ] } }`. */
export function parseHooks(
    json: PositionedJson, file: string, plugin: string, pluginRoot: string, issues: PluginIssue[],
    basePath: (string | number)[] = []
): HooksConfig {
    // `basePath` locates the config in the file: [] for hooks.json, ['hooks'] inline in plugin.json.
    // The config is `{ "hooks": { Event: … } }`, or (seen inline in real manifests) the events map itself.
    let root: unknown = json.value;
    for (const k of basePath) {
        root = (root as Record<string, unknown> | null)?.[k as string];
    }
    const r = root && typeof root === 'object' && !Array.isArray(root) ? root as Record<string, unknown> : undefined;
    const wrapped = !!r && r.hooks !== undefined && typeof r.hooks === 'object';
    const events = wrapped ? r!.hooks : basePath.length > 0 ? r : undefined;
    const eventsPath = wrapped ? [...basePath, 'hooks'] : basePath;
    if (!events || typeof events !== 'object' || Array.isArray(events)) {
        issues.push({ severity: 'error', file, line: json.lineOf(basePath), message: 'hooks file must be an object with a "hooks" object of events' });
        return [];
    }
    const out: HookGroup[] = [];
    for (const [event, groups] of Object.entries(events as Record<string, unknown>)) {
        const evPath = [...eventsPath, event];
        if (!(RUN_EVENTS as readonly string[]).includes(event)) {
            if (KNOWN_NOT_RUN.has(event)) {
                issues.push({ severity: 'warning', file, line: json.lineOf(evPath), message: `hook event ${event} is not fired by Cowork; its hooks are ignored` });
            } else {
                issues.push({ severity: 'error', file, line: json.lineOf(evPath), message: `unknown hook event "${event}" (expected one of ${RUN_EVENTS.join(', ')})` });
            }
            continue;
        }
        if (!Array.isArray(groups)) {
            issues.push({ severity: 'error', file, line: json.lineOf(evPath), message: `hooks for ${event} must be a list of { matcher, hooks } groups` });
            continue;
        }
        groups.forEach((g, i) => {
            const gPath = [...evPath, i];
            const group = parseGroup(g, event as HookEvent);
            if (typeof group === 'string') {
                issues.push({ severity: 'error', file, line: json.lineOf(gPath), message: `${event} hook group ${i + 1}: ${group}` });
                return;
            }
            for (const skipped of group.skipped) {
                issues.push({ severity: 'warning', file, line: json.lineOf([...gPath, 'hooks', skipped.index]), message: skipped.message });
            }
            if (group.hooks.length > 0) {
                out.push({ event: event as HookEvent, matcher: group.matcher, hooks: group.hooks, plugin, pluginRoot, file, line: json.lineOf(gPath) });
            }
        });
    }
    return out;
}

function parseGroup(g: unknown, event: string): { matcher?: string; hooks: HookCommand[]; skipped: { index: number; message: string }[] } | string {
    if (!g || typeof g !== 'object' || Array.isArray(g)) {
        return 'must be an object with a "hooks" list';
    }
    const r = g as Record<string, unknown>;
    if (r.matcher !== undefined && typeof r.matcher !== 'string') {
        return '"matcher" must be a string';
    }
    if (typeof r.matcher === 'string' && r.matcher !== '' && r.matcher !== '*') {
        try {
            new RegExp(r.matcher);
        } catch {
            return `"matcher" ${JSON.stringify(r.matcher)} is not a valid pattern`;
        }
    }
    if (!Array.isArray(r.hooks)) {
        return '"hooks" must be a list of { "type": "command", "command": ... }';
    }
    const hooks: HookCommand[] = [];
    const skipped: { index: number; message: string }[] = [];
    for (const [index, h] of r.hooks.entries()) {
        const hr = (h ?? {}) as Record<string, unknown>;
        const type = hr.type ?? 'command';
        if (type !== 'command') {
            skipped.push({ index, message: `${event} hook of type "${String(type)}" is not supported by Cowork (only "command"); skipped` });
            continue;
        }
        if (typeof hr.command !== 'string' || hr.command.trim() === '') {
            return `hook ${index + 1} needs a "command" string`;
        }
        const timeout = typeof hr.timeout === 'number' && hr.timeout > 0 ? hr.timeout : undefined;
        hooks.push({ command: hr.command, timeout, if: typeof hr.if === 'string' ? hr.if : undefined });
    }
    return { matcher: r.matcher as string | undefined, hooks, skipped };
}
