"""Reading: bytes of a plan or progress file -> a plan, progress rows and problems
(untrusted files are taken apart in a child process)."""
