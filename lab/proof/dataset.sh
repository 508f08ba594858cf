#!/bin/sh
# Writes a dataset shaped like what copies lose into ROOT: many small files,
# a large random file, nested and empty directories, symlinks, hard links, a
# sparse file, odd names, modes, owners and mtimes. POSIX sh + busybox applets,
# so it runs inside the lab's busybox image as well as on the host.
#
#   dataset.sh ROOT [LARGE_MIB] [SMALL_FILES]
#
# LARGE_MIB: size of the random file (default 64); SMALL_FILES: default 2000.
# Content is random; lab/proof/manifest.sh records what was written.
set -eu

root=${1:?usage: dataset.sh ROOT [LARGE_MIB] [SMALL_FILES]}
large_mib=${2:-64}
small_files=${3:-2000}

mkdir -p "$root"
cd "$root"

# Many small files (0..4095 bytes) spread over nested directories.
i=0
while [ "$i" -lt "$small_files" ]; do
  dir="small/d$((i % 10))/e$((i % 7))"
  mkdir -p "$dir"
  head -c "$(( $(od -An -N2 -tu2 /dev/urandom) % 4096 ))" /dev/urandom >"$dir/f$i"
  i=$((i + 1))
done

# One large random file.
dd if=/dev/urandom of=large.bin bs=1048576 count="$large_mib" 2>/dev/null

# Nested and empty directories.
mkdir -p empty deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16 deep/1/2/3/empty-inside
head -c 100 /dev/urandom >deep/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/bottom

# Symlinks: relative to a file, to a directory, absolute, dangling.
mkdir links
ln -s ../large.bin links/to-file
ln -s ../deep/1/2 links/to-dir
ln -s /etc/hostname links/absolute
ln -s ../does-not-exist links/dangling

# Hard links: one file under three names, two directories.
mkdir hardlinks
head -c 5000 /dev/urandom >hardlinks/original
ln hardlinks/original hardlinks/second-name
ln hardlinks/original small/third-name

# A sparse file: 1 GiB apparent, a few KiB of data at three offsets.
truncate -s 1073741824 sparse.img
for mib in 0 512 1023; do
  head -c 4096 /dev/urandom | dd of=sparse.img bs=1048576 seek="$mib" conv=notrunc 2>/dev/null
done

# Odd names.
mkdir odd
for name in 'with space' '-leading-dash' 'ünïcödé 名前' "quote'and\"double" '#hash' 'semi;colon' 'back\slash' '.hidden' '   '; do
  head -c 64 /dev/urandom >"odd/$name"
done

# Modes and owners (numeric: no such users need to exist).
mkdir modes
head -c 10 /dev/urandom >modes/private && chmod 0600 modes/private
head -c 10 /dev/urandom >modes/script && chmod 0755 modes/script
head -c 10 /dev/urandom >modes/readonly && chmod 0444 modes/readonly
mkdir modes/setgid-dir && chmod 2775 modes/setgid-dir
mkdir modes/sticky-dir && chmod 1777 modes/sticky-dir
head -c 10 /dev/urandom >modes/owned-app && chown 1234:5678 modes/owned-app
head -c 10 /dev/urandom >modes/owned-nobody && chown 65534:65534 modes/owned-nobody
chown 1234:5678 modes/setgid-dir

# Mtimes: past times on files, then on directories deepest first (a
# directory's mtime changes whenever an entry is added to it). Each dataset
# shifts them by a random number of seconds: Kopia (Velero's file-system
# backup) takes a file whose size and mtime match the volume's previous
# snapshot as unchanged without reading it, so a rewritten dataset with the
# very same mtimes would be "backed up" with the old run's bytes.
shift=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
touch -d "@$((981173106 + shift))" large.bin hardlinks/original modes/private
touch -d "@$((946684799 - shift))" odd/'with space' sparse.img
find . -depth -type d | while IFS= read -r dir; do
  touch -d "@$((1592222400 + shift))" "$dir"
done
