import { expect } from 'chai';
import { ToolRegistry } from './tool-registry';
import { coreTools } from './tools/core-tools';
import type { Tool } from './tool';

const fake = (name: string): Tool => ({
    name, description: `${name} tool`, inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false },
    run: async () => ({ content: name })
});

describe('ToolRegistry', () => {
    const registry = new ToolRegistry(coreTools());

    it('accepts valid input', () => {
        expect(registry.validate('Read', { file_path: '/w/a.txt', offset: 2 })).to.equal(undefined);
        expect(registry.validate('Move', { moves: [{ from: '/a', to: '/b' }] })).to.equal(undefined);
    });

    it('explains schema errors readably, naming the tool, the field and every problem', () => {
        expect(registry.validate('Read', { path: '/x' })).to.equal(
            'Invalid input for Read: (input) must have required property \'file_path\'; (input) must NOT have additional properties (path)');
        expect(registry.validate('Write', { file_path: 7, content: 'x' })).to.equal('Invalid input for Write: /file_path must be string');
        expect(registry.validate('Read', { file_path: '/x', limit: 0 })).to.equal('Invalid input for Read: /limit must be >= 1');
        expect(registry.validate('Move', { moves: [{ from: '/a' }] })).to.include('/moves/0 must have required property \'to\'');
        expect(registry.validate('Grep', { pattern: 'x', output_mode: 'lines' })).to.include('/output_mode must be equal to one of the allowed values');
    });

    it('names the available tools when one is unknown', () => {
        expect(registry.validate('Bash', {})).to.equal(`Unknown tool "Bash". Available tools: ${registry.names().join(', ')}`);
        expect(registry.validate('Bash', {})).to.include('Read, Write, Edit');
    });

    it('refuses a tool registered twice', () => {
        const r = new ToolRegistry([fake('A')]);
        expect(() => r.register(fake('A'))).to.throw('Tool A is registered twice');
    });

    it('narrows to the allowed names, keeping order and validation', () => {
        const r = new ToolRegistry([fake('A'), fake('B'), fake('C')]);
        const narrow = r.narrow(['C', 'A', 'Missing']);
        expect(narrow.names()).to.deep.equal(['A', 'C']);
        expect(narrow.get('B')).to.equal(undefined);
        expect(narrow.validate('B', { n: 1 })).to.include('Unknown tool "B"');
        expect(narrow.validate('A', { n: 0 })).to.equal('Invalid input for A: /n must be >= 1');
        expect(r.narrow(undefined)).to.equal(r);
        expect(r.narrow([]).names()).to.deep.equal([]);
        // Claude Code's argument filters name the tool before the bracket.
        expect(r.narrow(['A(git add:*)', ' C ']).names()).to.deep.equal(['A', 'C']);
        // The original is untouched.
        expect(r.names()).to.deep.equal(['A', 'B', 'C']);
    });

    it('gives definitions in registration order, the same every time', () => {
        const defs = registry.definitions();
        expect(defs.map(d => d.name)).to.deep.equal(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'TodoWrite', 'Move', 'Delete']);
        expect(defs[0]).to.have.all.keys('name', 'description', 'input_schema');
        expect(JSON.stringify(new ToolRegistry(coreTools()).definitions())).to.equal(JSON.stringify(defs));
    });
});
