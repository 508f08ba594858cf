#!/bin/sh
# Compares two manifests (manifest.sh) of a volume: the original and the one
# restored by Velero's file-system backup (Kopia).
#
#   compare.sh ORIGINAL RESTORED
#
# Exit 0 when equal entry by entry, or when they differ only in what Kopia
# does not keep, each counted on stdout:
#   hard links      names of one inode come back as separate identical files;
#   sparse          a sparse file comes back fully allocated (same bytes);
#   directory mtime a non-empty directory comes back with the newest mtime
#                   found below it (Kopia's directory summary), not its own.
# Exit 1 on any other difference (content, size, mode, owner, a file's mtime,
# type, symlink target, a missing or an extra entry), listed on stdout.
set -eu
original=${1:?usage: compare.sh ORIGINAL RESTORED}
restored=${2:?usage: compare.sh ORIGINAL RESTORED}
export LC_ALL=C
entries=$(wc -l <"$restored")

if diff "$original" "$restored" >/dev/null; then
  echo "equal: $entries entries, entry by entry"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cut -d'|' -f1 "$original" >"$tmp/original.paths"
cut -d'|' -f1 "$restored" >"$tmp/restored.paths"
if ! diff "$tmp/original.paths" "$tmp/restored.paths" >"$tmp/paths.diff"; then
  echo "DIFFERENT entries (< missing, > extra):"
  grep '^[<>]' "$tmp/paths.diff" | head -n 40
  exit 1
fi

# Same entries in the same order: original and restored lines alternate.
paste -d '\n' "$original" "$restored" >"$tmp/pairs"
awk -F'|' -v entries="$entries" '
  # Pass 1 (the original): newest mtime of the non-directories below each directory.
  FNR == NR {
    if ($2 != "dir") {
      path = $1
      while (sub(/\/[^\/]*$/, "", path)) if ($6 > newest[path]) newest[path] = $6
    }
    next
  }
  FNR % 2 == 1 { split($0, was, "|"); next }
  {
    split($0, now, "|")
    for (i = 1; i <= 7; i++) {
      if (was[i] == now[i]) continue
      if (i == 6 && was[2] == "dir" && now[6] == newest[was[1]]) { dir_mtimes++; continue }
      bad = bad "\n  " was[1] ": field " i " " was[i] " -> " now[i]
    }
    if (was[8] == now[8]) next
    was_sparse = was[8] ~ /sparse$/; now_sparse = now[8] ~ /sparse$/
    was_group = was[8]; sub(/,?sparse$/, "", was_group); if (was_group == "") was_group = "-"
    now_group = now[8]; sub(/,?sparse$/, "", now_group); if (now_group == "") now_group = "-"
    if (was_sparse && !now_sparse) sparse_lost++
    else if (was_sparse != now_sparse) bad = bad "\n  " was[1] ": links " was[8] " -> " now[8]
    if (was_group != "-" && now_group == "-") links_lost++
    else if (was_group != now_group) bad = bad "\n  " was[1] ": links " was[8] " -> " now[8]
  }
  END {
    if (bad != "") { print "DIFFERENT (fields: 3 mode, 4 owner, 5 size, 6 mtime, 7 content):" bad; exit 1 }
    printf "equal but for what Kopia does not keep: %d entries; hard links: %d names no longer share an inode; sparse: %d files now fully allocated; directory mtimes: %d from their newest content\n", entries, links_lost, sparse_lost, dir_mtimes
  }' "$original" "$tmp/pairs"
