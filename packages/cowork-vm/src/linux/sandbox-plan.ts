import * as fs from 'fs';
import * as path from 'path';
import { SandboxRequestError } from '../sandbox-backend';
import { DEFAULT_LIMITS, NetworkPolicy, SandboxGrant, SandboxLimits, SandboxRequest } from '../sandbox-types';
import { DEFAULT_HOME_FILES } from './home-seed';
import { SANDBOX_USER } from './system-mounts';

/** A read-write grant whose writes are captured by an overlay, with its staging folders. */
export interface OverlayGrant {
    grant: SandboxGrant;
    lower: string;
    upper: string;
    work: string;
    merged: string;
}

/** A validated request: normalized grants, limits, home, environment. */
export interface SandboxPlan {
    command: string;
    cwd: string;
    grants: SandboxGrant[];
    network: NetworkPolicy;
    limits: Required<SandboxLimits>;
    home: string;
    homeDir?: string;
    homeFiles: Record<string, string>;
    /** Existing paths inside grants to mask, with whether each is a folder. */
    hidden: { path: string; dir: boolean }[];
    env: Record<string, string>;
}

const DEFAULT_HOME = `/home/${SANDBOX_USER}`;
const MAX_WALL_MS = 24 * 3600 * 1000;

export function planRequest(req: SandboxRequest): SandboxPlan {
    if (typeof req.command !== 'string' || req.command.trim() === '') {
        throw new SandboxRequestError('command: a non-empty string is required');
    }
    if (req.command.includes('\0')) {
        throw new SandboxRequestError('command: contains a NUL byte');
    }
    const grants = normalizeGrants(req.grants ?? []);
    const limits = { ...DEFAULT_LIMITS, ...definedOnly(req.limits ?? {}) };
    for (const [k, v] of Object.entries(limits)) {
        if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
            throw new SandboxRequestError(`limits.${k}: expected a positive number, got ${JSON.stringify(v)}`);
        }
    }
    limits.wallTimeMs = Math.min(limits.wallTimeMs, MAX_WALL_MS);
    const home = grants.some(g => isInside(DEFAULT_HOME, g.path) || isInside(g.path, DEFAULT_HOME)) ? '/tmp/home' : DEFAULT_HOME;
    if (req.homeDir !== undefined && (!path.isAbsolute(req.homeDir) || !isDir(req.homeDir))) {
        throw new SandboxRequestError(`homeDir: ${req.homeDir} is not an existing absolute folder`);
    }
    const cwd = path.resolve(req.cwd || grants[0]?.path || home);
    if (!grants.some(g => isInside(cwd, g.path)) && !isInside(cwd, home) && !isInside(cwd, '/tmp')) {
        throw new SandboxRequestError(`cwd: ${cwd} is outside the granted folders (${grants.map(g => g.path).join(', ') || 'none'})`);
    }
    const network = req.network ?? { mode: 'none' };
    if (network.mode !== 'none' && network.mode !== 'allowlist') {
        throw new SandboxRequestError(`network.mode: expected "none" or "allowlist", got ${JSON.stringify((network as { mode: unknown }).mode)}`);
    }
    const env: Record<string, string> = {
        PATH: '/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin',
        HOME: home,
        USER: SANDBOX_USER,
        LOGNAME: SANDBOX_USER,
        SHELL: '/bin/sh',
        LANG: 'C.UTF-8',
        TMPDIR: '/tmp',
        TERM: 'dumb'
    };
    if (network.mode === 'allowlist') {
        for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) {
            env[name] = 'http://127.0.0.1:3128';
        }
    }
    for (const [k, v] of Object.entries(req.env ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || typeof v !== 'string' || v.includes('\0')) {
            throw new SandboxRequestError(`env.${k}: names must be shell identifiers and values strings without NUL`);
        }
        env[k] = v;
    }
    const homeFiles = req.homeFiles ?? DEFAULT_HOME_FILES;
    for (const rel of Object.keys(homeFiles)) {
        if (path.isAbsolute(rel) || rel.split('/').includes('..') || rel.includes('\0') || rel === '') {
            throw new SandboxRequestError(`homeFiles: "${rel}" must be a relative path inside the home folder`);
        }
    }
    const hidden = hiddenInsideGrants(req.hiddenPaths ?? [], grants);
    return { command: req.command, cwd, grants, network, limits, home, homeDir: req.homeDir, homeFiles, hidden, env };
}

function hiddenInsideGrants(paths: string[], grants: SandboxGrant[]): { path: string; dir: boolean }[] {
    const out: { path: string; dir: boolean }[] = [];
    for (const [i, p] of paths.entries()) {
        if (typeof p !== 'string' || !path.isAbsolute(p)) {
            throw new SandboxRequestError(`hiddenPaths[${i}]: an absolute path is required`);
        }
        let real: string;
        let st: fs.Stats;
        try {
            real = fs.realpathSync(p);
            st = fs.statSync(real);
        } catch {
            continue; // Nothing there to hide.
        }
        // A folder the user granted explicitly (or one inside it) stays visible: the grant is the clearer wish.
        if (grants.some(g => isInside(real, g.path)) && !grants.some(g => isInside(g.path, real))) {
            out.push({ path: real, dir: st.isDirectory() });
        }
    }
    return out;
}

function normalizeGrants(specs: SandboxGrant[]): SandboxGrant[] {
    const out: SandboxGrant[] = [];
    for (const [i, g] of specs.entries()) {
        if (!g || typeof g.path !== 'string' || !path.isAbsolute(g.path)) {
            throw new SandboxRequestError(`grants[${i}].path: an absolute path is required`);
        }
        if (g.mode !== 'rw' && g.mode !== 'ro') {
            throw new SandboxRequestError(`grants[${i}].mode: expected "rw" or "ro"`);
        }
        let real: string;
        try {
            real = fs.realpathSync(g.path);
        } catch {
            throw new SandboxRequestError(`grants[${i}]: ${g.path} does not exist`);
        }
        if (!isDir(real)) {
            throw new SandboxRequestError(`grants[${i}]: ${g.path} is not a folder`);
        }
        if (real === '/' || /^\/(proc|sys|dev|usr|etc)(\/|$)/.test(real)) {
            throw new SandboxRequestError(`grants[${i}]: ${real} is a system folder and cannot be granted`);
        }
        if (/[\n\0]/.test(real)) {
            throw new SandboxRequestError(`grants[${i}]: ${real} contains a newline`);
        }
        out.push({ path: real, mode: g.mode });
    }
    // Parents first, so a nested grant is mounted over its parent and keeps its own mode.
    return out.sort((a, b) => a.path.length - b.path.length);
}

/**
 * rw grants that need an overlay. A rw grant inside another rw grant is captured by the outer
 * one's overlay: bubblewrap binds it from the outer namespace, where it lies in that overlay.
 */
export function overlayRoots(grants: SandboxGrant[]): SandboxGrant[] {
    const rw = grants.filter(g => g.mode === 'rw');
    return rw.filter(g => !rw.some(p => p !== g && isInside(g.path, p.path)));
}

export function isInside(p: string, dir: string): boolean {
    return p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

function isDir(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}

function definedOnly<T extends object>(o: T): Partial<T> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
