# glob.sh: pathname expansion, which reads directories with getdents64:
# *, ?, [a-c], [!x], no match stays literal, dotfiles only when asked
# for (with . and ..), directories with a trailing /, several levels.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

touch a1 a2 a10 b1 b2 c1 d1 .hidden .h2 'sp ace' x.txt y.txt
mkdir dir1 dir2 .hdir
touch dir1/f1 dir1/f2 dir2/f1 .hdir/f1

echo *
echo a?
echo a*
echo [a-c]1
echo [!ab]1
echo [ab][12]
echo *.txt
echo ?.txt
echo dir*/f1
echo */
echo */*
echo .*
echo .h*
echo .h*/f1
for f in sp*; do echo "one word: [$f]"; done

# No match: the pattern stays as it is.
echo z*
echo *.none
echo dir1/*.c
echo "[x-z]9"

# Quoting and set -f turn globbing off.
echo "*"
echo '*.txt'
echo \*.txt
set -f
echo *.txt
set +f

# A directory with many entries: all come back (several getdents64
# calls), sorted.
mkdir many
i=0
while [ $i -lt 300 ]; do : > many/file$i; i=$((i + 1)); done
set -- many/*
echo "many: $# entries"
n=0; for f in many/*; do n=$((n + 1)); done
echo "loop saw $n"
echo many/file29?
ls many | wc -l
ls -a many | head -2

# Deleted files disappear from the listing; a new one appears.
rm a1 a2
touch a3
echo a*
