# tar.sh: an archive round trip keeps the tree: directories (empty ones
# too), file contents, permission bits, symbolic and hard links and
# modification times; through a file, through a pipe, and gzipped (tar
# runs gzip as a child connected by a pipe).
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1
umask 022

mkdir -p src/dir/sub src/empty src/private
seq 1 5000 > src/dir/numbers
echo hello > src/dir/sub/hello
printf '#!/bin/sh\necho run\n' > src/tool
head -c 100000 /dev/zero | tr '\0' 'z' > src/zzz
: > src/empty-file
chmod 0755 src/tool
chmod 0600 src/private
chmod 0640 src/dir/sub/hello
chmod 0444 src/zzz
chmod 1777 src/empty
ln -s dir/sub/hello src/link
ln -s /nonexistent/target src/dangling
ln src/dir/numbers src/hardlink
touch -d @1000000000 src/dir/numbers

# One line per entry: type, mode, size of regular files, link target.
describe() {
	(cd "$1" && find . | LC_ALL=C sort | while read -r f; do
		case "$(stat -c %F "$f")" in
		"symbolic link") echo "$f link -> $(readlink "$f")" ;;
		directory) echo "$f dir $(stat -c %a "$f")" ;;
		*) echo "$f file $(stat -c '%a %s' "$f") $(md5sum < "$f" | cut -c1-8)" ;;
		esac
	done)
}
describe src > want
cat want

echo "-- tar cf / tf"
tar cf a.tar -C src .
tar tf a.tar | LC_ALL=C sort
echo "-- tar xf"
mkdir x1
tar xf a.tar -C x1
describe x1 > got1
cmp want got1 && echo "extracted tree matches"
echo "mtime kept: $(stat -c %Y x1/dir/numbers)"
echo "hard link kept: $(stat -c %h x1/dir/numbers) links, same inode: $([ "$(stat -c %i x1/dir/numbers)" = "$(stat -c %i x1/hardlink)" ] && echo yes)"
./x1/tool

echo "-- tar through a pipe"
mkdir x2
tar cf - -C src . | tar xf - -C x2
describe x2 | cmp want - && echo "piped tree matches"

echo "-- tar czf / tzf / xzf"
tar czf a.tgz -C src .
tar tzf a.tgz | LC_ALL=C sort | md5sum
tar tf a.tar | LC_ALL=C sort | md5sum
mkdir x3
tar xzf a.tgz -C x3
describe x3 | cmp want - && echo "gzipped tree matches"
gzip -dc a.tgz | cmp - a.tar && echo "gunzipped archive equals the plain one"

echo "-- verbose listing without owners or dates"
tar tvf a.tar | awk '{ print $1, $3, $6, $7, $8 }' | sed 's/ *$//' | LC_ALL=C sort -k3 | grep -v '^d'

echo "-- extract one member, to stdout"
tar xOf a.tar ./dir/sub/hello
echo "-- overwriting an existing tree"
echo changed > x1/dir/sub/hello
tar xf a.tar -C x1
cat x1/dir/sub/hello
