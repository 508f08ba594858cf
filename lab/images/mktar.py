#!/usr/bin/env python3
"""Writes a reproducible image layer (uncompressed tar) from a spec on stdin.

Every entry gets mtime 0 and no user/group names, so the same inputs always
give the same bytes (and so the same layer digest). Spec lines (paths are
inside the image, without a leading slash; '#' starts a comment):

  dir  PATH MODE UID GID
  file PATH MODE UID GID SOURCE      (SOURCE: a host file, read as-is)
  link PATH TARGET                   (symlink, owned by root)
  tree PATH SOURCE                   (a host directory, recursively: root-owned,
                                      host modes kept, symlinks kept as links)

Parent directories that the spec does not name are added as 0755 root:root.

  mktar.py OUT.tar < spec
"""
import os
import stat
import sys
import tarfile

entries = {}  # path -> (TarInfo, source file or None)


def info(path, kind, mode, uid=0, gid=0):
    ti = tarfile.TarInfo(path)
    ti.type, ti.mode, ti.uid, ti.gid, ti.mtime = kind, mode, uid, gid, 0
    ti.uname = ti.gname = ""
    return ti


def add(ti, src=None):
    parts = ti.name.split("/")
    for i in range(1, len(parts)):
        p = "/".join(parts[:i])
        if p not in entries:
            entries[p] = (info(p, tarfile.DIRTYPE, 0o755), None)
    entries[ti.name] = (ti, src)


def add_file(path, mode, uid, gid, src):
    ti = info(path, tarfile.REGTYPE, mode, uid, gid)
    ti.size = os.path.getsize(src)
    add(ti, src)


for line in sys.stdin:
    f = line.split("#", 1)[0].split()
    if not f:
        continue
    kind, path = f[0], f[1].strip("/")
    if kind == "dir":
        add(info(path, tarfile.DIRTYPE, int(f[2], 8), int(f[3]), int(f[4])))
    elif kind == "file":
        add_file(path, int(f[2], 8), int(f[3]), int(f[4]), f[5])
    elif kind == "link":
        ti = info(path, tarfile.SYMTYPE, 0o777)
        ti.linkname = f[2]
        add(ti)
    elif kind == "tree":
        src = f[2]
        for root, dirs, files in os.walk(src):
            rel = os.path.relpath(root, src)
            base = path if rel == "." else path + "/" + rel
            add(info(base, tarfile.DIRTYPE, stat.S_IMODE(os.stat(root).st_mode)))
            for n in dirs + files:
                full = os.path.join(root, n)
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    ti = info(base + "/" + n, tarfile.SYMTYPE, 0o777)
                    ti.linkname = os.readlink(full)
                    add(ti)
                elif stat.S_ISREG(st.st_mode):
                    add_file(base + "/" + n, stat.S_IMODE(st.st_mode), 0, 0, full)
    else:
        sys.exit(f"mktar.py: unknown spec line: {line.strip()}")

with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as tar:
    for p in sorted(entries):
        ti, src = entries[p]
        if src is None:
            tar.addfile(ti)
        else:
            with open(src, "rb") as fh:
                tar.addfile(ti, fh)
