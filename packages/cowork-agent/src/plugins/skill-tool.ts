import * as fs from 'fs';
import * as path from 'path';
import type { Tool, ToolResult } from '../tool';
import { ToolError } from '../tool';
import { PluginRegistry, qualifiedName } from './plugin-registry';
import { listFilesInside, PathEscapeError, resolveInside } from './safe-path';
import { renderInvocable } from './slash-command';

const MAX_FILE_BYTES = 256 * 1024;

interface SkillInput {
    skill: string;
    args?: string;
    file?: string;
}

/**
 * Progressive disclosure, levels two and three: the body of a skill on request, with the list of
 * files bundled beside it; then any one of those files. Scripts are run by path with the Bash tool.
 */
export function createSkillTool(registry: () => PluginRegistry): Tool<SkillInput> {
    return {
        name: 'Skill',
        description: 'Load a skill (or plugin command) by name, e.g. "plugin:skill-name": returns its instructions, '
            + 'its base directory and the files bundled with it. Pass "file" (a path relative to the base directory) to read '
            + 'one bundled file such as a reference. Run bundled scripts with the Bash tool using their absolute path.',
        inputSchema: {
            type: 'object',
            properties: {
                skill: { type: 'string', description: 'Skill name, "plugin:name" or a unique "name"' },
                args: { type: 'string', description: 'Arguments for the skill, as a user would type them after the slash command' },
                file: { type: 'string', description: 'A bundled file to read, relative to the skill\'s base directory' }
            },
            required: ['skill'],
            additionalProperties: false
        },
        readOnly: true,
        async run(input, ctx): Promise<ToolResult> {
            const reg = registry();
            const { found, ambiguous } = reg.findModelInvocable(String(input.skill ?? ''));
            if (ambiguous) {
                throw new ToolError(`Skill "${input.skill}" is ambiguous; use one of ${ambiguous.join(', ')}`);
            }
            if (!found) {
                const names = reg.modelInvocables().map(qualifiedName);
                throw new ToolError(`No skill named "${input.skill}". Available: ${names.slice(0, 50).join(', ') || '(none)'}`);
            }
            const base = found.kind === 'skill' ? found.dir : found.pluginRoot;
            if (input.file) {
                return { content: readBundled(found.pluginRoot, base, input.file) };
            }
            const rendered = renderInvocable(found, input.args ?? '', reg, ctx.grants);
            let text = rendered.prompt;
            if (found.kind === 'skill') {
                const { files, truncated } = listFilesInside(found.pluginRoot, found.dir, 300);
                const others = files.filter(f => f !== 'SKILL.md');
                if (others.length > 0) {
                    text += `\nBundled files (relative to ${found.dir}):\n${others.map(f => `- ${f}`).join('\n')}${truncated ? '\n- … (more not listed)' : ''}\n`;
                }
            }
            return { content: text };
        }
    };
}

function readBundled(pluginRoot: string, base: string, file: string): string {
    const rel = file.replace(/\$\{CLAUDE_PLUGIN_ROOT\}/g, pluginRoot);
    let real: string;
    try {
        real = resolveInside(pluginRoot, path.resolve(base, rel));
    } catch (e) {
        if (e instanceof PathEscapeError) {
            throw new ToolError(`${file}: ${e.message}; refused`);
        }
        throw e;
    }
    let st: fs.Stats;
    try {
        st = fs.statSync(real);
    } catch {
        throw new ToolError(`${file} does not exist in ${base}`);
    }
    if (!st.isFile()) {
        const { files } = listFilesInside(pluginRoot, real, 200);
        return `${real} is a folder:\n${files.map(f => `- ${f}`).join('\n')}`;
    }
    const size = Math.min(st.size, MAX_FILE_BYTES);
    const buf = Buffer.alloc(size);
    const fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
        fs.readSync(fd, buf, 0, size, 0);
    } finally {
        fs.closeSync(fd);
    }
    if (buf.includes(0)) {
        return `${real} is a binary file (${st.size} bytes); use it by path.`;
    }
    const note = st.size > MAX_FILE_BYTES ? `\n[… truncated: ${st.size} bytes, first ${MAX_FILE_BYTES} shown]` : '';
    return `${real}:\n${buf.toString('utf8')}${note}`;
}
