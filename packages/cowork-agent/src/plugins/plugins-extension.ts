import type { LoopHooks } from '../agent-loop';
import type { RuntimeExtension, TaskEnvironment } from '../runtime/cowork-runtime';
import type { SubagentType } from '../subagents/subagent-type';
import type { ToolResult } from '../tool';
import { dataDir as defaultDataDir } from '../settings';
import { bundledPluginsDir, PluginHost, PluginHostOptions } from './plugin-host';
import { PluginStore } from './plugin-store';

/**
 * Plugins as a runtime extension: one PluginHost per process (connectors are shared by tasks),
 * per-task hook runners. Add `pluginsExtension()` to defaultExtensions().
 */
export interface PluginsExtension extends RuntimeExtension {
    host(dataDir?: string): PluginHost;
    /**
     * SessionStart and UserPromptSubmit hooks, for the runtime to call before a task's first
     * turn: `block` refuses the prompt (show it to the user); `additionalContext` goes to the model
     * with the prompt.
     */
    beforeTask(env: TaskEnvironment, prompt: string, source?: 'startup' | 'resume'): Promise<{ block?: string; additionalContext?: string; warnings: string[] }>;
}

export function pluginsExtension(opts: PluginHostOptions = {}): PluginsExtension {
    let host: PluginHost | undefined;
    let signature = '';
    const all: PluginHost[] = [];
    process.once('exit', () => all.forEach(h => void h.close()));
    const get = (dataDir?: string) => {
        const dir = opts.dataDir ?? dataDir ?? defaultDataDir();
        // A plugin installed, enabled or edited since the last task is picked up by the next one.
        // A replaced host stays open: a running task may still be using its connectors.
        const now = new PluginStore(dir, opts.bundledDir === null ? undefined : opts.bundledDir ?? bundledPluginsDir()).signature();
        if (!host || now !== signature) {
            host = new PluginHost({ ...opts, dataDir: dir });
            signature = now;
            all.push(host);
        }
        return host;
    };
    return {
        host: get,
        async beforeTask(env, prompt, source = 'startup') {
            const runner = get(env.dataDir).hookRunner({ sessionId: env.session.id, cwd: env.grants.cwd });
            if (runner.size === 0) {
                return { warnings: [] };
            }
            const start = await runner.sessionStart(source);
            const submit = await runner.userPromptSubmit(prompt);
            const context = [start.additionalContext, submit.additionalContext].filter((x): x is string => !!x);
            return {
                block: submit.block,
                additionalContext: context.length > 0 ? context.join('\n') : undefined,
                warnings: [...start.warnings, ...submit.warnings]
            };
        },
        tools: (env: TaskEnvironment) => get(env.dataDir).tools(),
        systemSections: (env: TaskEnvironment) => {
            const s = get(env.dataDir).systemPromptSection();
            return s ? [s] : [];
        },
        hooks: (env: TaskEnvironment) => loopHooks(get(env.dataDir), env),
        subagentTypes: (env: TaskEnvironment): SubagentType[] => get(env.dataDir).agentDefinitions().map(a => ({
            name: a.qualifiedName, description: a.description, tools: a.tools, model: a.model, maxTurns: a.maxTurns, systemPrompt: a.systemPrompt
        }))
    };
}

/** Adapts the plugin HookRunner to the loop's hook interface. */
export function loopHooks(host: PluginHost, env: TaskEnvironment): LoopHooks | undefined {
    const runner = host.hookRunner({ sessionId: env.session.id, cwd: env.grants.cwd });
    if (runner.size === 0) {
        return undefined;
    }
    let stopActive = false;
    return {
        async preToolUse(name, input, toolUseId) {
            const r = await runner.preToolUse(name, input, toolUseId);
            return r.block ? { block: r.block } : undefined;
        },
        async postToolUse(name, input, result: ToolResult) {
            const response = typeof result.content === 'string' ? result.content : result.content;
            const r = await runner.postToolUse(name, input, { content: response, is_error: !!result.isError });
            const extra = [r.feedback, r.additionalContext].filter((x): x is string => !!x);
            return extra.length > 0 ? { additionalContext: extra.join('\n') } : undefined;
        },
        async stop() {
            const r = await runner.stop(stopActive);
            stopActive = !!r.block;
            return r.block ? { continueWith: r.block } : undefined;
        }
    };
}
