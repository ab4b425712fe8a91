import * as fs from 'fs';
import { Tool, ToolError } from '../tool';
import { writeUserFile } from './write-user-file';

interface EditInput { file_path: string; old_string: string; new_string: string; replace_all?: boolean }

export const editTool: Tool<EditInput> = {
    name: 'Edit',
    description: 'Replaces text in an existing file: old_string must occur exactly once (or set replace_all to replace ' +
        'every occurrence). Whitespace and indentation must match exactly. The change is journalled and can be undone.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the file to edit' },
            old_string: { type: 'string', description: 'The exact text to replace' },
            new_string: { type: 'string', description: 'The replacement text (must differ from old_string)' },
            replace_all: { type: 'boolean', description: 'Replace every occurrence (default false)' }
        },
        required: ['file_path', 'old_string', 'new_string'],
        additionalProperties: false
    },
    async run(input, ctx) {
        if (input.old_string === input.new_string) {
            throw new ToolError('old_string and new_string are the same; nothing to change');
        }
        if (input.old_string.length === 0) {
            throw new ToolError('old_string is empty; use Write to create a file');
        }
        const pinned = await ctx.grants.pin(input.file_path, 'write');
        let text: string;
        try {
            const fd = fs.openSync(pinned.viaFd, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
            try {
                if (!fs.fstatSync(fd).isFile()) {
                    throw new Error('not a regular file');
                }
                text = fs.readFileSync(fd, 'utf8');
            } finally {
                fs.closeSync(fd);
            }
        } catch (e) {
            throw new ToolError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `File does not exist: ${pinned.real}` : `Cannot read ${pinned.real}: ${(e as Error).message}`);
        } finally {
            pinned.release();
        }
        const count = text.split(input.old_string).length - 1;
        if (count === 0) {
            throw new ToolError(`old_string was not found in ${pinned.real}. Read the file and copy the text exactly, including whitespace.`);
        }
        if (count > 1 && !input.replace_all) {
            throw new ToolError(`old_string occurs ${count} times in ${pinned.real}; add surrounding context to make it unique, or set replace_all`);
        }
        const updated = input.replace_all ? text.split(input.old_string).join(input.new_string) : text.replace(input.old_string, () => input.new_string);
        // An edit is a targeted change the model was asked to make; it is journalled, not asked like a full overwrite.
        await writeUserFile(ctx, 'Edit', pinned.real, updated, { askOverwrite: false, mkdirs: false });
        return { content: `Edited ${pinned.real}: ${input.replace_all ? count : 1} replacement${count > 1 && input.replace_all ? 's' : ''}` };
    }
};
