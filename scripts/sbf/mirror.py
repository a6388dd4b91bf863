#!/usr/bin/env python3
"""Mirrors the workspace into the SBF build's cache, keeping the modification
times of unchanged files so cargo rebuilds only what changed.

Usage: mirror.py SRC DST PATCH_TEXT
PATCH_TEXT is appended to the mirror's root Cargo.toml (the SBF build's
[patch] section), which the repository itself never carries.
"""
import os
import pathlib
import shutil
import sys

SKIP = {".git", "target", "node_modules", ".anchor", "test-ledger"}


def wanted(src):
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d not in SKIP]
        for name in files:
            path = pathlib.Path(root, name)
            yield path.relative_to(src)


def write_if_changed(path, data):
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def with_patch(manifest, patch_text):
    """The manifest with PATCH_TEXT's entries under its [patch.crates-io]
    (TOML allows the table header once)."""
    header = "[patch.crates-io]"
    if header in manifest and header in patch_text:
        entries = patch_text.split(header, 1)[1]
        return manifest.replace(header, header + entries.rstrip("\n"), 1)
    return manifest + patch_text


def main(src, dst, patch_text):
    src, dst = pathlib.Path(src), pathlib.Path(dst)
    keep = set()
    for relative in wanted(src):
        keep.add(relative)
        source, target = src / relative, dst / relative
        if relative == pathlib.Path("Cargo.toml"):
            write_if_changed(target, with_patch(source.read_text(), patch_text).encode())
            continue
        stat = source.stat()
        if target.exists():
            other = target.stat()
            if other.st_size == stat.st_size and int(other.st_mtime) == int(stat.st_mtime):
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for relative in list(wanted(dst)):
        if relative not in keep:
            (dst / relative).unlink()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
