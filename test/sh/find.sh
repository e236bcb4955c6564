# find.sh: find walks a tree with getdents64 and lstat: by name, type,
# modification age (-mtime against utimensat-set times), size, depth,
# emptiness, and runs commands with -exec. Results are sorted: readdir
# order is the file system's business.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

mkdir -p top/a/b/c top/d top/empty
echo x > top/a/one.txt
echo xx > top/a/b/two.txt
echo xxx > top/a/b/c/three.txt
echo data > top/d/data.bin
: > top/d/zero.txt
ln -s ../a/one.txt top/d/link.txt
ln -s nowhere top/d/dangling

echo "-- all"
find top | sort
echo "-- -name *.txt"
find top -name '*.txt' | sort
echo "-- -iname ONE*"
find top -iname 'ONE*'
echo "-- -type d"
find top -type d | sort
echo "-- -type f"
find top -type f | sort
echo "-- -type l"
find top -type l | sort
echo "-- -L -type f (follows links)"
find -L top/d -type f 2>/dev/null | sort
echo "-- -maxdepth 1"
find top -maxdepth 1 | sort
echo "-- -mindepth 3"
find top -mindepth 3 | sort
echo "-- -empty"
find top -empty | sort
echo "-- -size +2c -type f"
find top -type f -size +2c | sort
echo "-- -path"
find top -path '*/b/*' | sort
echo "-- ! -name and -o"
find top -type f ! -name '*.txt' | sort
find top \( -name one.txt -o -name two.txt \) -print | sort
echo "-- -prune"
find top -name b -prune -o -type f -print | sort

# Ages: now, 3 days ago, 3 days ahead (relative to the system clock, so
# this works whatever the date is).
now=$(date +%s)
touch top/new
touch -d "@$((now - 3 * 86400))" top/old
touch -d "@$((now + 3 * 86400))" top/future
echo "-- -mtime -0 (modified in the future)"
find top -maxdepth 1 -type f -mtime -0 | sort
echo "-- -mtime -1 (less than a day old)"
find top -maxdepth 1 -type f -mtime -1 | sort
echo "-- -mtime +1 (older than two days)"
find top -maxdepth 1 -type f -mtime +1 | sort
echo "-- -mmin -5"
find top -maxdepth 1 -type f -mmin -5 | sort
echo "-- -newer"
find top -maxdepth 1 -type f -newer top/new | sort

echo "-- -exec {} ;"
find top -name '*.txt' -type f -exec wc -c {} \; | sort -k2
echo "-- -exec {} +"
find top -name '*.txt' -type f -exec sh -c 'echo "$# files"' sh {} +
echo "-- -exec status as a test"
find top -type f -exec grep -q xx {} \; -print | sort
echo "-- -print0"
find top/a -type f -print0 | tr '\0' '\n' | sort
echo "-- -exec rm"
find top -name '*.bin' -exec rm {} \;
find top -name '*.bin' | wc -l
