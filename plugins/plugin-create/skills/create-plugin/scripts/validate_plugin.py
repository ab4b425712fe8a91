#!/usr/bin/env python3
"""Checks a plugin folder the way Cowork's loader reads it. Prints file:line: problem; exit 1 on errors."""
import json
import os
import re
import sys

KNOWN_EVENTS = {'PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'SessionStart', 'Stop'}
NAME_RE = re.compile(r'^[a-z0-9][a-z0-9-]*$')
problems = []


def report(kind, path, line, msg):
    problems.append((kind, path, line, msg))


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def load_json(path):
    try:
        return json.loads(read(path))
    except json.JSONDecodeError as e:
        report('error', path, e.lineno, 'invalid JSON: %s' % e.msg)
    except OSError as e:
        report('error', path, 1, 'cannot read: %s' % e)
    return None


def frontmatter(path, required):
    text = read(path).replace('\r\n', '\n')
    lines = text.split('\n')
    if not lines or lines[0].strip() != '---':
        if required:
            report('error', path, 1, 'no frontmatter: the file must start with a --- line')
        return None, 1
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == '---')
    except StopIteration:
        report('error', path, 1, 'frontmatter has no closing --- line')
        return None, 1
    data = {}
    try:
        import yaml  # optional: checks the frontmatter exactly
        parsed = yaml.safe_load('\n'.join(lines[1:end])) or {}
        if not isinstance(parsed, dict):
            report('error', path, 2, 'frontmatter must be key: value lines')
            return None, end + 2
        data = parsed
    except ImportError:
        for i, l in enumerate(lines[1:end], start=2):
            m = re.match(r'^([A-Za-z][\w-]*):\s*(.*)$', l)
            if m:
                data[m.group(1)] = m.group(2).strip().strip('"\'')
    except Exception as e:  # yaml.YAMLError
        mark = getattr(e, 'problem_mark', None)
        report('error', path, (mark.line + 2) if mark else 2, 'invalid YAML: %s (quote values that contain ": ")' % getattr(e, 'problem', e))
        return None, end + 2
    for i, l in enumerate(lines[1:end], start=2):
        if re.match(r'^argument-hint:\s*\[', l):
            report('warning', path, i, 'argument-hint starting with [ is a YAML list; put it in quotes')
    if not lines[end + 1:] or not '\n'.join(lines[end + 1:]).strip():
        report('warning', path, end + 2, 'the body after the frontmatter is empty')
    return data, end + 2


def check_description(path, data, needed=True):
    if data is None:
        return  # the frontmatter itself was reported
    d = data.get('description')
    if not d:
        if needed:
            report('error', path, 2, 'missing "description" (the model chooses by it)')
        return
    if not isinstance(d, str):
        report('error', path, 2, '"description" must be text')
    elif len(d) > 1024:
        report('warning', path, 2, 'description is %d characters; keep it under 1024' % len(d))
    elif len(d) < 20:
        report('warning', path, 2, 'description is very short; say what it does and when to use it')


def main(root):
    if not os.path.isdir(root):
        sys.exit('%s is not a folder' % root)
    manifest = os.path.join(root, '.claude-plugin', 'plugin.json')
    if not os.path.exists(manifest):
        report('error', manifest, 1, 'missing manifest')
    else:
        m = load_json(manifest)
        if isinstance(m, dict):
            if not isinstance(m.get('name'), str) or not NAME_RE.match(m['name']):
                report('error', manifest, 1, '"name" must be kebab-case (a-z, 0-9, -)')
            for key in ('version', 'description'):
                if key not in m:
                    report('warning', manifest, 1, 'no "%s"' % key)
    skills = os.path.join(root, 'skills')
    count = 0
    if os.path.isdir(skills):
        for name in sorted(os.listdir(skills)):
            d = os.path.join(skills, name)
            if not os.path.isdir(d):
                continue
            f = os.path.join(d, 'SKILL.md')
            if not os.path.exists(f):
                report('warning', d, 1, 'folder in skills/ has no SKILL.md')
                continue
            count += 1
            data, _ = frontmatter(f, True)
            check_description(f, data)
            if not NAME_RE.match(name):
                report('warning', d, 1, 'skill folder names should be kebab-case (they are the command name)')
    for kind in ('commands', 'agents'):
        folder = os.path.join(root, kind)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith('.md'):
                continue
            count += 1
            f = os.path.join(folder, name)
            data, body_line = frontmatter(f, True)
            check_description(f, data)
            if kind == 'agents' and data and 'maxTurns' in data and not str(data['maxTurns']).isdigit():
                report('error', f, 2, 'maxTurns must be a whole number')
    mcp = os.path.join(root, '.mcp.json')
    if os.path.exists(mcp):
        v = load_json(mcp)
        servers = v.get('mcpServers', v) if isinstance(v, dict) else None
        if not isinstance(servers, dict):
            report('error', mcp, 1, 'expected {"mcpServers": {...}}')
        else:
            for name, s in servers.items():
                if not isinstance(s, dict) or not (s.get('command') or 'url' in s):
                    report('error', mcp, 1, 'server "%s" needs "command" or "url"' % name)
    hooks = os.path.join(root, 'hooks', 'hooks.json')
    if os.path.exists(hooks):
        v = load_json(hooks)
        events = v.get('hooks') if isinstance(v, dict) else None
        if not isinstance(events, dict):
            report('error', hooks, 1, 'expected {"hooks": {"Event": [...]}}')
        else:
            for ev, groups in events.items():
                if ev not in KNOWN_EVENTS:
                    report('warning', hooks, 1, 'event %s is not run by Cowork' % ev)
                for g in groups if isinstance(groups, list) else []:
                    for h in g.get('hooks', []) if isinstance(g, dict) else []:
                        if not isinstance(h, dict) or not h.get('command'):
                            report('error', hooks, 1, '%s hook without a "command"' % ev)
    if count == 0:
        report('error', root, 1, 'no skills, commands or agents found')
    for kind, path, line, msg in problems:
        print('%s:%d: %s: %s' % (os.path.relpath(path, root), line, kind, msg))
    errors = sum(1 for p in problems if p[0] == 'error')
    if errors == 0 and not problems:
        print('OK')
    return 1 if errors else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: validate_plugin.py <plugin folder>')
    sys.exit(main(sys.argv[1]))
