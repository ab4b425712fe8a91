#!/usr/bin/env python3
"""Packages a plugin folder as <name>.plugin (a zip with the files at its root). Links are refused."""
import json
import os
import sys
import zipfile

SKIP = {'.git', 'node_modules', '__pycache__', '.DS_Store'}


def main(src, out_dir):
    manifest = os.path.join(src, '.claude-plugin', 'plugin.json')
    try:
        with open(manifest, encoding='utf-8') as f:
            name = json.load(f)['name']
    except (OSError, ValueError, KeyError) as e:
        sys.exit('%s: cannot read the plugin name (%s); run validate_plugin.py first' % (manifest, e))
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, name + '.plugin')
    count = 0
    with zipfile.ZipFile(target + '.tmp', 'w', zipfile.ZIP_DEFLATED) as z:
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP)
            for fn in sorted(filenames):
                if fn in SKIP:
                    continue
                path = os.path.join(dirpath, fn)
                if os.path.islink(path):
                    sys.exit('%s is a symbolic link; plugins must not contain links' % path)
                z.write(path, os.path.relpath(path, src))
                count += 1
    os.replace(target + '.tmp', target)
    print('%s (%d files)' % (target, count))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: package_plugin.py <plugin folder> <output folder>')
    main(sys.argv[1], sys.argv[2])
