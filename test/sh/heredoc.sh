# heredoc.sh: here-documents: expansion or not, tab stripping, on other
# fds, inside loops and functions, and one bigger than a pipe's buffer
# (ash feeds a large one through a pipe from a child process).
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

name=world
cat <<EOF
hello $name
sum $((2 + 3))
cmd $(echo sub)
escaped \$name and \`x\`
EOF

cat <<'EOF'
literal $name $(echo no) `echo no`
EOF

cat <<"EOF"
quoted "also" literal $name
EOF

# <<- strips leading tabs (not spaces).
cat <<-EOF
	tab-stripped
		both tabs
	  tab then spaces
	EOF

# A here-document on fd 3, and two on one command.
cat 3<<EOF <&3
on fd three
EOF
{ cat; cat <&4; } <<A 4<<B
left1
left2
A
right1
right2
B

# Into a while loop and a function.
while read -r k v; do echo "$v=$k"; done <<EOF
1 one
2 two
EOF
f() { tr a-z A-Z; }
f <<EOF
in a function
EOF

# Empty here-document, and one with only a blank line.
cat <<EOF | wc -c
EOF
cat <<EOF | wc -c

EOF

# 200000 bytes: more than a pipe holds, so the writer must block.
big=$(seq 1 40000 | tr '\n' ' ')
cat <<EOF | wc -c
$big
EOF
cat <<EOF | md5sum
$big
EOF
echo "$big" | md5sum

# A here-document to a command in a subshell and in $( ).
x=$(cat <<EOF
captured $name
EOF
)
echo "$x"
(cat <<EOF
sub $name
EOF
)
