import { Tool, ToolError } from '../tool';
import type { PlanItem } from '../events';

interface TodoWriteInput { todos: PlanItem[] }

export const todoWriteTool: Tool<TodoWriteInput> = {
    name: 'TodoWrite',
    description: 'Creates or updates the task\'s visible plan. Send the whole list every time. Each item: content (imperative, ' +
        '"Read the receipts"), activeForm (present continuous, "Reading the receipts"), status pending | in_progress | completed. ' +
        'Keep exactly one item in_progress while working; mark items completed as soon as they are done.',
    inputSchema: {
        type: 'object',
        properties: {
            todos: {
                type: 'array',
                items: {
                    type: 'object',
                    properties: {
                        content: { type: 'string', minLength: 1 },
                        status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
                        activeForm: { type: 'string', minLength: 1 }
                    },
                    required: ['content', 'status', 'activeForm'],
                    additionalProperties: false
                }
            }
        },
        required: ['todos'],
        additionalProperties: false
    },
    readOnly: true,
    async run(input, ctx) {
        const inProgress = input.todos.filter(t => t.status === 'in_progress').length;
        if (inProgress > 1) {
            throw new ToolError(`${inProgress} items are in_progress; keep exactly one in progress at a time`);
        }
        ctx.emit({ type: 'plan.updated', todos: input.todos });
        const done = input.todos.filter(t => t.status === 'completed').length;
        return { content: `Plan updated: ${done}/${input.todos.length} done` };
    }
};
