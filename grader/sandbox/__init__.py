"""The trust boundary: everything that starts, feeds, limits and kills student code.

`inside/` runs in the sandbox (zygote and children); the other modules run in the grader and
only ever see plain data coming back.
"""
