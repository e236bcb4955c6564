#!/test/argcheck --script
# run through its interpreter by execve
