import type { Tool } from '../tool';
import { writeUserFile } from './write-user-file';

interface WriteInput { file_path: string; content: string }

export const writeTool: Tool<WriteInput> = {
    name: 'Write',
    description: 'Writes a text file in a read-write granted folder, creating missing folders. Replacing an existing file ' +
        'asks the user first (the old content is kept and can be restored). file_path must be absolute. Prefer Edit for ' +
        'small changes to existing files.',
    inputSchema: {
        type: 'object',
        properties: {
            file_path: { type: 'string', description: 'Absolute path of the file to write' },
            content: { type: 'string', description: 'The full content of the file' }
        },
        required: ['file_path', 'content'],
        additionalProperties: false
    },
    async run(input, ctx) {
        const { path, change } = await writeUserFile(ctx, 'Write', input.file_path, input.content);
        const lines = input.content.length === 0 ? 0 : input.content.split('\n').length;
        return { content: `${change === 'created' ? 'Created' : 'Replaced'} ${path} (${lines} lines, ${Buffer.byteLength(input.content)} bytes)` };
    }
};
