# xargs.sh: xargs builds command lines from its input and runs them (fork,
# execve, wait): -n groups, -I replaces, -0 reads NUL-separated names,
# exit statuses 123/124/127 report failing commands.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

echo "-- default command is echo"
printf 'a b\nc\n  d  \n' | xargs
echo "-- -n 2"
seq 1 7 | xargs -n 2 echo
echo "-- -n 1 with sh -c"
echo 1 2 3 | xargs -n 1 sh -c 'echo "arg $1"' sh
echo "-- -I {}"
printf 'one\ntwo words\nthree\n' | xargs -I {} echo "[{}] and {} again"
echo "-- -I with a custom string"
seq 1 3 | xargs -I N sh -c 'echo N > file.N'
cat file.1 file.2 file.3 | tr '\n' ' '; echo
echo "-- -0 with names that have spaces"
mkdir d
touch "d/with space" d/plain "d/new
line"
find d -type f -print0 | xargs -0 -n 1 echo | sort
find d -type f -print0 | xargs -0 ls -1d | wc -l
echo "-- quotes in input"
echo "'single quoted' \"double quoted\" plain" | xargs -n 1 echo
echo "-- -t traces to stderr"
echo x y | xargs -t echo 2>&1
echo "-- -r runs nothing on empty input"
printf '' | xargs -r echo "should not appear"
printf '' | xargs echo "runs once anyway"
echo "-- -s limits the line length"
seq 1 20 | xargs -s 20 echo
echo "-- many arguments: 20000 in as few runs as fit"
seq 1 20000 | xargs echo | wc -w
seq 1 20000 | xargs sh -c 'echo $#' sh | awk '{ s += $1 } END { print s }'
echo "-- exit statuses"
echo a | xargs false; echo "command failed: $?"
echo a | xargs sh -c 'exit 255'; echo "command exited 255: $?"
echo a | xargs /no/such/command 2>/dev/null; echo "command not found: $?"
echo a | xargs sh -c 'kill -TERM $$' 2>/dev/null; echo "command killed: $?"
echo a | xargs true; echo "all fine: $?"
echo "-- -P 4 runs in parallel; output order varies, so sorted"
seq 1 8 | xargs -P 4 -n 1 sh -c 'sleep 0.1; echo "job $1"' sh | sort
