import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Decision, PolicyRule } from './permissions/permission-policy';
import { writeFileAtomic } from './util/atomic-write';

/**
 * The default model. The installed @anthropic-ai/sdk (1.12.0) lists these Sonnet ids in its
 * `Model` type: claude-sonnet-5-5, claude-sonnet-5, claude-sonnet-4-6, claude-sonnet-4-5; the
 * newest is claude-sonnet-5-5. Sonnet rather than Opus: the agent makes many calls per task, and
 * Sonnet is the usual price/speed balance for that. Users pick another with COWORK_MODEL or "model".
 */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const SETTINGS_FILE_NAME = 'settings.json';

/** Everything the agent reads from settings, with every default filled in. */
export interface Settings {
    /** Undefined when neither ANTHROPIC_API_KEY nor the file has one: see requireApiKey(). */
    apiKey: string | undefined;
    baseUrl: string;
    model: string;
    /** max_tokens of each model request. */
    maxTokens: number;
    /** Attempts per model request, the first included (retries on 429/5xx/529/network). */
    maxAttempts: number;
    /** Permission rules put in front of the default policy. */
    permissions: PolicyRule[];
    /** How many sub-agents may run at the same time. */
    concurrency: number;
    /**
     * Run shell commands without isolation where no sandbox is available. Off by default; when on,
     * every command's result says it ran unsandboxed.
     */
    allowUnsandboxed: boolean;
    /** Domains the sandbox may reach (`example.com`, `*.example.com`); empty: no network. */
    networkAllowlist: string[];
    /** The model's context window, in tokens. */
    contextWindow: number;
    /** Compact the conversation once its input reaches this fraction of the context window. */
    compactAt: number;
    /** Where these came from, for messages that say what to edit. */
    settingsFile: string;
}

/** What the settings file may hold: every field optional. */
export type SettingsFile = Partial<Omit<Settings, 'settingsFile'>>;

export const DEFAULT_SETTINGS: Omit<Settings, 'settingsFile' | 'apiKey'> = {
    baseUrl: DEFAULT_BASE_URL,
    model: DEFAULT_MODEL,
    maxTokens: 32000,
    maxAttempts: 5,
    permissions: [],
    concurrency: 4,
    allowUnsandboxed: false,
    networkAllowlist: [],
    contextWindow: 200000,
    compactAt: 0.8
};

/** Bad settings: the message names the file (or variable) and the field. */
export class SettingsError extends Error {
    constructor(message: string, readonly file: string | undefined) {
        super(message);
        this.name = 'SettingsError';
    }
}

/** No API key anywhere: says exactly what to set and where. */
export class MissingApiKeyError extends SettingsError {
    constructor(settingsFile: string) {
        super(
            'No Anthropic API key is configured. Set the ANTHROPIC_API_KEY environment variable, '
            + `or put "apiKey": "sk-ant-..." in ${settingsFile} (created with mode 0600).`,
            settingsFile
        );
        this.name = 'MissingApiKeyError';
    }
}

type Env = Record<string, string | undefined>;

/** COWORK_DATA_DIR, else $XDG_DATA_HOME/cowork, else ~/.cowork. */
export function dataDir(env: Env = process.env): string {
    if (env.COWORK_DATA_DIR) {
        return path.resolve(env.COWORK_DATA_DIR);
    }
    if (env.XDG_DATA_HOME) {
        return path.join(path.resolve(env.XDG_DATA_HOME), 'cowork');
    }
    return path.join(os.homedir(), '.cowork');
}

export function settingsFilePath(env: Env = process.env): string {
    return path.join(dataDir(env), SETTINGS_FILE_NAME);
}

/** Reads the settings file as written (no defaults, checked); {} when there is none. */
export function readSettingsFile(file: string): SettingsFile {
    return checkSettingsFile(readRawSettings(file), file);
}

/** The file's JSON object as is, unknown keys included; {} when there is no file. */
function readRawSettings(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return {};
        }
        throw new SettingsError(`cannot read settings file ${file}: ${(err as Error).message}`, file);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (err) {
        throw new SettingsError(`settings file ${file} is not valid JSON: ${(err as Error).message}`, file);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new SettingsError(`settings file ${file} must hold a JSON object`, file);
    }
    return value as Record<string, unknown>;
}

/**
 * Settings with precedence env > settings file > defaults. The env names: ANTHROPIC_API_KEY,
 * ANTHROPIC_BASE_URL, COWORK_MODEL; the file: settings.json in dataDir().
 */
export function loadSettings(env: Env = process.env): Settings {
    const file = settingsFilePath(env);
    const stored = readSettingsFile(file);
    const fromEnv: SettingsFile = {};
    if (env.ANTHROPIC_API_KEY) fromEnv.apiKey = env.ANTHROPIC_API_KEY;
    if (env.ANTHROPIC_BASE_URL) fromEnv.baseUrl = checkUrl(env.ANTHROPIC_BASE_URL, 'the ANTHROPIC_BASE_URL environment variable', undefined);
    if (env.COWORK_MODEL) fromEnv.model = env.COWORK_MODEL;
    return { ...DEFAULT_SETTINGS, apiKey: undefined, ...stored, ...fromEnv, settingsFile: file };
}

/** The API key, or a MissingApiKeyError that says where to put one. */
export function requireApiKey(settings: Settings): string {
    if (!settings.apiKey) {
        throw new MissingApiKeyError(settings.settingsFile);
    }
    return settings.apiKey;
}

/**
 * Merges `changes` into the settings file (a field set to undefined is removed) and writes it
 * atomically with mode 0600 (it may hold the API key) in a 0700 data directory.
 */
export function saveSettings(changes: SettingsFile, env: Env = process.env): string {
    const file = settingsFilePath(env);
    const merged: Record<string, unknown> = { ...readRawSettings(file), ...changes };
    for (const key of Object.keys(merged)) {
        if (merged[key] === undefined) delete merged[key];
    }
    checkSettingsFile(merged, file);
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    writeFileAtomic(file, JSON.stringify(merged, null, 2) + '\n', 0o600);
    return file;
}

// ---- validation ----------------------------------------------------------------------------

const DECISIONS: Decision[] = ['allow', 'ask', 'deny'];

function checkSettingsFile(value: Record<string, unknown>, file: string): SettingsFile {
    const fail = (field: string, expected: string): never => {
        throw new SettingsError(`settings file ${file}: "${field}" must be ${expected}, got ${JSON.stringify(value[field])}`, file);
    };
    const out: SettingsFile = {};
    for (const [key, v] of Object.entries(value)) {
        switch (key) {
            case 'apiKey':
            case 'model':
                if (typeof v !== 'string' || v === '') fail(key, 'a non-empty string');
                out[key] = v as string;
                break;
            case 'baseUrl':
                out.baseUrl = checkUrl(v, `settings file ${file}, "baseUrl"`, file);
                break;
            case 'maxTokens':
            case 'maxAttempts':
            case 'concurrency':
            case 'contextWindow':
                if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(key, 'a positive integer');
                out[key] = v as number;
                break;
            case 'compactAt':
                if (typeof v !== 'number' || !(v > 0 && v <= 1)) fail(key, 'a fraction of the context window, above 0 and at most 1');
                out.compactAt = v as number;
                break;
            case 'allowUnsandboxed':
                if (typeof v !== 'boolean') fail(key, 'true or false');
                out.allowUnsandboxed = v as boolean;
                break;
            case 'networkAllowlist':
                if (!Array.isArray(v) || !v.every(d => typeof d === 'string' && d !== '')) fail(key, 'a list of domain names');
                out.networkAllowlist = v as string[];
                break;
            case 'permissions':
                out.permissions = checkRules(v, file);
                break;
            default:
                // Unknown keys are kept on save (settings of a newer version) but not used.
                break;
        }
    }
    return out;
}

function checkRules(value: unknown, file: string): PolicyRule[] {
    if (!Array.isArray(value)) {
        throw new SettingsError(`settings file ${file}: "permissions" must be a list of rules like {"tool": "bash", "action": "delete", "decision": "ask"}`, file);
    }
    return value.map((rule, i) => {
        const where = `settings file ${file}: permissions[${i}]`;
        if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
            throw new SettingsError(`${where} must be an object`, file);
        }
        if (!DECISIONS.includes(rule.decision)) {
            throw new SettingsError(`${where}.decision must be one of ${DECISIONS.join(', ')}, got ${JSON.stringify(rule.decision)}`, file);
        }
        for (const field of ['tool', 'action', 'path'] as const) {
            if (rule[field] !== undefined && (typeof rule[field] !== 'string' || rule[field] === '')) {
                throw new SettingsError(`${where}.${field} must be a non-empty string`, file);
            }
        }
        const { tool, action, path: p, decision } = rule as PolicyRule;
        return { ...(tool ? { tool } : {}), ...(action ? { action } : {}), ...(p ? { path: p } : {}), decision };
    });
}

function checkUrl(value: unknown, where: string, file: string | undefined): string {
    if (typeof value === 'string') {
        try {
            const url = new URL(value);
            if (url.protocol === 'http:' || url.protocol === 'https:') {
                return value;
            }
        } catch {
            // reported below
        }
    }
    throw new SettingsError(`${where} must be an http(s) URL, got ${JSON.stringify(value)}`, file);
}
