"""Reading: bytes of a plan or progress file -> a plan, progress rows and problems (untrusted files in a child process)."""
