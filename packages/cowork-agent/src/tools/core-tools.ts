import type { Tool } from '../tool';
import { readTool } from './read';
import { writeTool } from './write';
import { editTool } from './edit';
import { globTool } from './glob';
import { grepTool } from './grep';
import { todoWriteTool } from './todo-write';
import { moveTool } from './move';
import { deleteTool } from './delete';

/** The file tools every task has, in the order the model sees them (stable: part of the cached prefix). */
export function coreTools(): Tool[] {
    return [readTool, writeTool, editTool, globTool, grepTool, todoWriteTool, moveTool, deleteTool];
}
