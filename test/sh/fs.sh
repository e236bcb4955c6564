# fs.sh: file-system calls through the core utilities: mkdir -p, mv
# (rename), cp -r / -a, ln and ln -s, rm -r, rmdir, chmod, truncate,
# stat -c (type, mode, size, link count), du (st_blocks) and df
# (statfs). Errors are checked by their strerror text.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1
umask 022

echo "-- mkdir -p"
mkdir -p a/b/c/d
mkdir -p a/b/c/d && echo "again: no error"
find a | sort
mkdir a 2>&1 | sed 's/.*: //'
mkdir nodir/x 2>&1 | sed 's/.*: //'
stat -c '%n %F %a %h' a a/b a/b/c/d
mkdir -m 700 secret; stat -c '%n %a' secret

echo "-- files and stat"
echo hello > f
stat -c '%n %F %a %s %h' f
printf 'x' > one; stat -c '%n %s' one
truncate -s 10000 sparse; stat -c '%n %s' sparse
truncate -s 3 f; cat f; echo
chmod 751 f; stat -c '%a %A' f
chmod u-x,g+w f; stat -c '%a %A' f
[ "$(stat -c %u f)" = "$(id -u)" ] && echo "owner is us"
[ "$(stat -c %Y f)" -ge 0 ] && echo "mtime readable"
touch -d @1234567890 f; stat -c %Y f

echo "-- mv"
echo content > m1
mv m1 m2
[ -e m1 ] || echo "m1 gone"; cat m2
echo other > m3
mv m2 m3; cat m3
mkdir mdir; mv m3 mdir/; ls mdir
mv mdir mdir2; ls mdir2
mkdir -p full/x; mkdir target
mv target full 2>&1 | sed 's/.*: //'
[ -d full/target ] && echo "mv into a directory"
mv full full/x/inside 2>&1 | sed 's/.*: //'

echo "-- cp"
cp mdir2/m3 copy; cat copy
mkdir -p tree/sub; echo 1 > tree/one; echo 2 > tree/sub/two; chmod 640 tree/one
ln -s one tree/link
cp -r tree tree2
find tree2 | sort
cat tree2/sub/two
touch -d @1000000000 tree/one
cp -a tree tree3
stat -c '%n %a %Y' tree3/one
[ -L tree3/link ] && echo "cp -a kept the symlink: $(readlink tree3/link)"
cp tree nodir-copy 2>&1 | sed 's/.*: //'

echo "-- ln"
echo data > target-file
ln target-file hard
stat -c '%n %h' target-file hard
[ "$(stat -c %i target-file)" = "$(stat -c %i hard)" ] && echo "same inode"
echo more >> hard; cat target-file
ln -s target-file soft
stat -c '%n %F' soft
stat -L -c '%n %F %s' soft
readlink soft
cat soft
ln -s /no/where broken
cat broken 2>&1 | sed 's/.*: //'
[ -L broken ] && [ ! -e broken ] && echo "dangling link: -L yes, -e no"
ln -s target-file soft 2>&1 | sed 's/.*: //'
ln -sf hard soft; readlink soft
rm target-file; stat -c '%n %h' hard
ln -s loop2 loop1; ln -s loop1 loop2
cat loop1 2>&1 | sed 's/.*: //'

echo "-- rm and rmdir"
rmdir a 2>&1 | sed 's/.*: //'
rm a 2>&1 | sed 's/.*: //'
rm -r a; [ -e a ] || echo "rm -r removed a"
mkdir e; rmdir e && echo "rmdir empty"
rm nosuch 2>&1 | sed 's/.*: //'
rm -f nosuch && echo "rm -f: fine"
rm -rf tree tree2 tree3; ls -d tree* 2>/dev/null | wc -l

echo "-- du (st_blocks, 1K units)"
mkdir du
awk 'BEGIN { for (i = 0; i < 8192; i++) printf "x" }' > du/8k
awk 'BEGIN { for (i = 0; i < 12288; i++) printf "y" }' > du/12k
du -k du/8k du/12k
truncate -s 1000000 du/hole
[ "$(du -k du/hole | cut -f1)" -lt 100 ] && echo "a hole takes no blocks"

echo "-- df (statfs): sizes consistent"
df -k . | awk 'NR == 1 { print $1, $2 } NR == 2 { print ($2 > 0 && $3 + $4 <= $2 + 1 ? "total >= used + free" : "bad: " $0) }'
df -P . | tail -1 | awk '{ print ($5 ~ /%$/ ? "capacity is a percentage" : "bad") }'
stat -f -c '%S' . | awk '$1 >= 512 { print "block size >= 512" }'

echo "-- names"
touch 'a b' "quote'd"; touch -- -dash
ls -1 | grep -E '^(a b|quote|-dash)' | sort
long=$(printf 'n%.0s' $(seq 1 255))
touch $long && echo "255-byte name ok"
touch ${long}x 2>&1 | sed 's/.*: //'
