#!/usr/bin/env python3
"""Plans (never performs) a batch rename. Prints {"renames", "conflicts", "unchanged"} as JSON."""
import argparse
import datetime
import json
import os
import re
import sys

DATE_PATTERNS = [
    (re.compile(r'(?<!\d)(20\d\d|19\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)'), (0, 1, 2)),
    (re.compile(r'(?<!\d)(0[1-9]|[12]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.](20\d\d|19\d\d)(?!\d)'), (2, 1, 0)),
]


def date_in(name, path):
    for rx, (y, m, d) in DATE_PATTERNS:
        hit = rx.search(name)
        if hit:
            g = hit.groups()
            return '%s-%s-%s' % (g[y], g[m], g[d]), hit
    mtime = datetime.date.fromtimestamp(os.stat(path).st_mtime)
    return mtime.isoformat(), None


def kebab(stem):
    s = re.sub(r'[\s_]+', '-', stem.strip().lower())
    s = re.sub(r'[^a-z0-9.\-]+', '', s)
    return re.sub(r'-{2,}', '-', s).strip('-') or stem


def plan(folder, rule, pattern=None, replacement='', start=1):
    names = sorted(n for n in os.listdir(folder) if not n.startswith('.') and os.path.isfile(os.path.join(folder, n)))
    width = max(3, len(str(len(names) + start)))
    out = []
    for i, name in enumerate(names):
        stem, ext = os.path.splitext(name)
        if rule == 'date-prefix':
            date, hit = date_in(name, os.path.join(folder, name))
            rest = stem if hit is None else (stem[:hit.start()] + stem[hit.end():])
            rest = rest.strip(' -_.')
            new = date + ('-' + rest if rest else '') + ext
        elif rule == 'kebab':
            new = kebab(stem) + ext.lower()
        elif rule == 'sequence':
            new = str(i + start).zfill(width) + '-' + name
        elif rule == 'replace':
            if pattern is None:
                sys.exit('--pattern is required for the replace rule')
            new = re.sub(pattern, replacement, name)
        else:
            sys.exit('unknown rule %r (date-prefix, kebab, sequence, replace)' % rule)
        out.append((name, new))
    # A target is free only if no file has that name now and no earlier rename took it, so the
    # renames can be applied one by one in this order without ever landing on a file.
    renames, conflicts, unchanged = [], [], 0
    used = set(names)
    for old, new in out:
        if old == new:
            unchanged += 1
            continue
        final = new
        if final in used:
            stem, ext = os.path.splitext(new)
            n = 2
            while '%s-%d%s' % (stem, n, ext) in used:
                n += 1
            final = '%s-%d%s' % (stem, n, ext)
            conflicts.append({'from': old, 'wanted': new, 'to': final})
        used.add(final)
        renames.append({'from': old, 'to': final})
    return {'renames': renames, 'conflicts': conflicts, 'unchanged': unchanged}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('folder')
    ap.add_argument('--rule', required=True)
    ap.add_argument('--pattern')
    ap.add_argument('--replacement', default='')
    ap.add_argument('--start', type=int, default=1)
    a = ap.parse_args()
    if not os.path.isdir(a.folder):
        sys.exit('%s is not a folder' % a.folder)
    json.dump(plan(a.folder, a.rule, a.pattern, a.replacement, a.start), sys.stdout, indent=2)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
