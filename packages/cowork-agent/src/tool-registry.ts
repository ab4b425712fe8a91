import Ajv, { ValidateFunction } from 'ajv';
import type Anthropic from '@anthropic-ai/sdk';
import type { Tool } from './tool';

/**
 * The tools a task offers the model, in a fixed order (the tool list is part of the cached
 * prompt prefix, so it must be byte-identical from one request to the next).
 */
/** Compiling a schema costs milliseconds; a tool's validator is built once and shared by every registry. */
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<Tool, ValidateFunction>();

function validatorOf(tool: Tool): ValidateFunction {
    let v = validators.get(tool);
    if (!v) {
        v = ajv.compile(tool.inputSchema);
        validators.set(tool, v);
    }
    return v;
}

export class ToolRegistry {
    private readonly tools = new Map<string, { tool: Tool; validate: ValidateFunction }>();

    constructor(tools: Tool[] = []) {
        tools.forEach(t => this.register(t));
    }

    register(tool: Tool): void {
        if (this.tools.has(tool.name)) {
            throw new Error(`Tool ${tool.name} is registered twice`);
        }
        this.tools.set(tool.name, { tool, validate: validatorOf(tool) });
    }

    get(name: string): Tool | undefined {
        return this.tools.get(name)?.tool;
    }

    names(): string[] {
        return [...this.tools.keys()];
    }

    list(): Tool[] {
        return [...this.tools.values()].map(t => t.tool);
    }

    /** A registry narrowed to some names (e.g. a slash command's allowed-tools, a sub-agent's tools). */
    narrow(allowed: string[] | undefined): ToolRegistry {
        if (!allowed) {
            return this;
        }
        // `Bash(git add:*)` names the Bash tool; the part in brackets is a Claude Code argument filter.
        const keep = new Set(allowed.map(a => a.replace(/\(.*\)$/, '').trim()));
        return new ToolRegistry(this.list().filter(t => keep.has(t.name)));
    }

    /** Why an input does not fit the tool's schema, or undefined if it does. */
    validate(name: string, input: unknown): string | undefined {
        const entry = this.tools.get(name);
        if (!entry) {
            return `Unknown tool "${name}". Available tools: ${this.names().join(', ')}`;
        }
        if (entry.validate(input)) {
            return undefined;
        }
        const problems = (entry.validate.errors ?? []).map(e => `${e.instancePath || '(input)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
        return `Invalid input for ${name}: ${problems.join('; ')}`;
    }

    /** Tool definitions as the Messages API takes them, in registration order. */
    definitions(): Anthropic.Tool[] {
        return this.list().map(t => ({
            name: t.name,
            description: t.description,
            input_schema: t.inputSchema as Anthropic.Tool.InputSchema
        }));
    }
}
