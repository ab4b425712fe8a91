import { Tool, ToolError } from '../tool';
import type { SubagentScheduler } from './subagent-scheduler';
import type { SubagentType } from './subagent-type';

interface TaskInput { description: string; prompt: string; subagent_type?: string }

/**
 * Claude Code's Task tool: starts a sub-agent on one workstream. Several Task calls in one
 * answer run in parallel (up to the concurrency setting); each returns the sub-agent's report.
 */
export function createTaskTool(scheduler: SubagentScheduler, types: () => SubagentType[]): Tool<TaskInput> & { parallelSafe: true } {
    const listing = () => types().map(t => `- ${t.name}: ${t.description.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n');
    return {
        name: 'Task',
        parallelSafe: true,
        description: 'Starts a sub-agent for one self-contained workstream; it has its own conversation and reports back when done. ' +
            'To work in parallel, call Task several times in the same answer. Give each a complete prompt: it does not see this ' +
            'conversation. Do not let two sub-agents write the same file.\nAvailable subagent_type values:\n' + listing(),
        inputSchema: {
            type: 'object',
            properties: {
                description: { type: 'string', description: 'A short (3-5 word) label for the workstream' },
                prompt: { type: 'string', description: 'The full task for the sub-agent' },
                subagent_type: { type: 'string', description: 'Which kind of sub-agent (default general-purpose)' }
            },
            required: ['description', 'prompt'],
            additionalProperties: false
        },
        async run(input, ctx) {
            const wanted = input.subagent_type ?? 'general-purpose';
            const all = types();
            const type = all.find(t => t.name === wanted)
                ?? all.filter(t => t.name.endsWith(`:${wanted}`)).reduce<SubagentType | undefined>((found, t, _i, arr) => arr.length === 1 ? t : found, undefined);
            if (!type) {
                throw new ToolError(`Unknown subagent_type "${wanted}". Available: ${all.map(t => t.name).join(', ')}`);
            }
            return scheduler.run(type, input.description, input.prompt, { agentId: ctx.agentId, signal: ctx.signal });
        }
    };
}
