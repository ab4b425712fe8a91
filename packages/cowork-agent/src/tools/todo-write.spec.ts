import { expect } from 'chai';
import { todoWriteTool } from './todo-write';
import { ToolRegistry } from '../tool-registry';
import type { PlanItem } from '../events';
import { makeToolBed, ToolBed } from '../../test/tool-context';

describe('TodoWrite tool', () => {
    let bed: ToolBed;
    beforeEach(() => { bed = makeToolBed(); });
    afterEach(() => bed.cleanup());

    const todos: PlanItem[] = [
        { content: 'Read the receipts', status: 'completed', activeForm: 'Reading the receipts' },
        { content: 'Build the sheet', status: 'in_progress', activeForm: 'Building the sheet' },
        { content: 'Write the summary', status: 'pending', activeForm: 'Writing the summary' }
    ];

    it('publishes the plan as plan.updated and reports progress', async () => {
        const r = await todoWriteTool.run({ todos }, bed.ctx());
        expect(r.content).to.equal('Plan updated: 1/3 done');
        expect(bed.events).to.deep.equal([{ type: 'plan.updated', todos }]);
    });

    it('refuses two items in progress, and publishes nothing', async () => {
        let message = '';
        await todoWriteTool.run({ todos: todos.map(t => ({ ...t, status: 'in_progress' as const })) }, bed.ctx()).catch(e => { message = e.message; });
        expect(message).to.include('3 items are in_progress');
        expect(bed.events).to.have.length(0);
    });

    it('accepts an empty plan', async () => {
        expect((await todoWriteTool.run({ todos: [] }, bed.ctx())).content).to.equal('Plan updated: 0/0 done');
    });

    it('has a schema that catches a malformed item', () => {
        const registry = new ToolRegistry([todoWriteTool]);
        expect(registry.validate('TodoWrite', { todos })).to.equal(undefined);
        const problem = registry.validate('TodoWrite', { todos: [{ content: 'x', status: 'doing' }] });
        expect(problem).to.include('/todos/0').and.include('activeForm').and.include('allowed values');
    });
});
