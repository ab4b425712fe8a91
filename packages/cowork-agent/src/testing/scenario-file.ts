import * as fs from 'fs';
import * as path from 'path';
import type { Turn } from './scenario';

export interface ScenarioFile {
    turns: Turn[];
    fallback?: Turn;
}

/**
 * Loads a scenario for a server run as its own process. A `.json` file holds static turns only:
 * an array of turns, or `{ "turns": [...], "fallback": ... }`. A `.js`/`.cjs` module may also hold
 * turn functions: it exports the array (module.exports = [...]) or `{ turns, fallback }`, and can
 * require '@cowork/agent/lib/src/testing' for the builders.
 */
export function loadScenarioFile(file: string): ScenarioFile {
    const full = path.resolve(file);
    if (!fs.existsSync(full)) {
        throw new Error(`scenario file not found: ${full}`);
    }
    let value: unknown;
    if (full.endsWith('.json')) {
        try {
            value = JSON.parse(fs.readFileSync(full, 'utf8'));
        } catch (err) {
            throw new Error(`scenario file ${full} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
    } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(full);
        value = mod && typeof mod === 'object' && 'default' in mod && !Array.isArray(mod) && !('turns' in mod) ? mod.default : mod;
    }
    return toScenarioFile(value, full);
}

function toScenarioFile(value: unknown, where: string): ScenarioFile {
    if (Array.isArray(value)) {
        return { turns: value as Turn[] };
    }
    if (value && typeof value === 'object' && Array.isArray((value as ScenarioFile).turns)) {
        const v = value as ScenarioFile;
        return { turns: v.turns, fallback: v.fallback };
    }
    throw new Error(`scenario file ${where} must export an array of turns or { turns: [...], fallback? }`);
}
