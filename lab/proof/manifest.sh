#!/bin/sh
# Prints a manifest of everything under ROOT, one line per entry, sorted by
# path, so two manifests compare entry by entry with diff:
#
#   path|type|mode|uid:gid|size|mtime|content|links
#
#   type     file, dir, symlink
#   mode     octal permission bits incl. setuid/setgid/sticky
#   size     bytes (files only; a directory's size is the filesystem's business)
#   mtime    seconds since the epoch (symlinks: of the link itself)
#   content  sha256 of a file, the target of a symlink
#   links    files with several names: the first path of the group (sorted),
#            so a restore that turns hard links into copies shows up;
#            "sparse" when fewer bytes are allocated than the size
#
# POSIX sh + busybox applets (stat -c, sha256sum, readlink, sort).
#
#   manifest.sh ROOT [EXCLUDE_NAME...]
set -eu

root=${1:?usage: manifest.sh ROOT [EXCLUDE_NAME...]}
shift
cd "$root"
export LC_ALL=C

excluded() {
  for name in "$@"; do
    [ "$entry" = "./$name" ] && return 0
  done
  return 1
}

# First pass: inode -> first path, for files with more than one name.
groups=$(mktemp)
trap 'rm -f "$groups"' EXIT
find . -mindepth 1 -type f -links +1 | sort | while IFS= read -r entry; do
  printf '%s %s\n' "$(stat -c %i "$entry")" "${entry#./}"
done | sort -s -k1,1n -u >"$groups"

find . -mindepth 1 | sort | while IFS= read -r entry; do
  if excluded "$@"; then continue; fi
  path=${entry#./}
  info=$(stat -c '%F|%a|%u:%g|%s|%Y|%h|%i|%b|%B' "$entry")
  IFS='|' read -r type mode owner size mtime nlink inode blocks block_size <<EOF
$info
EOF
  links=-
  case $type in
  'regular file' | 'regular empty file')
    type=file
    content=$(sha256sum "$entry" | cut -d' ' -f1)
    if [ "$nlink" -gt 1 ]; then
      links=$(awk -v ino="$inode" '$1 == ino { sub(/^[0-9]+ /, ""); print; exit }' "$groups")
    fi
    if [ $((blocks * block_size)) -lt "$size" ]; then
      links=${links#-}
      links=${links:+$links,}sparse
    fi
    ;;
  directory)
    type=dir size=- content=-
    ;;
  'symbolic link')
    type=symlink size=- content=$(readlink "$entry")
    ;;
  *)
    content=-
    ;;
  esac
  printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$path" "$type" "$mode" "$owner" "$size" "$mtime" "$content" "$links"
done
