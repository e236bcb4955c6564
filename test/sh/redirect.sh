# redirect.sh: the shell's redirections: create, truncate, append, read,
# read-write, fd duplication and its order, noclobber, and the errors the
# kernel reports for impossible ones (by their strerror text).
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1
umask 022

echo one > f
echo two >> f
cat f
echo three > f
cat < f
echo "size $(stat -c %s f) mode $(stat -c %a f)"
: > f
echo "truncated to $(stat -c %s f)"

# stdout and stderr to different files, then together.
{ echo to-out; echo to-err >&2; } > o 2> e
echo "o: $(cat o) e: $(cat e)"
{ echo to-out; echo to-err >&2; } > both 2>&1
sort both | tr '\n' ' '; echo
# 2>&1 before >file: stderr stays on the old stdout (here: a pipe).
{ echo to-out; echo to-err >&2; } 2>&1 > o2 | sed 's/^/piped: /'
echo "o2: $(cat o2)"

# Writes through two fds to one file share nothing but the file: O_APPEND
# makes each land at the end.
echo aaaa > g
{ echo bb >> g; echo cc >> g; } >> g
cat g

# <> opens read-write without truncating; the write lands at offset 0.
echo 12345 > rw
echo ab 1<> rw
cat rw

# Here-string-like input from a file on another fd.
echo line1 > in; echo line2 >> in
while read -r l <&3; do echo "fd3: $l"; done 3< in
{ read -r a; read -r b; } < in
echo "read two: $a $b"

# noclobber refuses to overwrite; >| overrides it.
echo keep > nc
set -C
(echo lost > nc) 2>/dev/null || echo "noclobber refused"
echo forced >| nc
set +C
cat nc

# /dev/null and /dev/zero.
echo gone > /dev/null && echo "wrote /dev/null"
head -c 5 /dev/zero | od -An -tx1
wc -c < /dev/null

# Errors: the messages carry the kernel's errno.
mkdir d
cat nofile 2>&1
(echo x > d) 2>&1 | sed 's/.*: //'
(echo x > nodir/f) 2>&1 | sed 's/.*: //'
(cat < nofile) 2>&1 | sed 's/.*: //'
