"""Gradescope mode: `grader gradescope run` is the autograder, `build` makes its zip.

Inside Gradescope's container the grader runs as root in `/autograder`: the student's files are
in `submission/`, the zip's contents (the grader, the assignment, the reference solution and the
grading seed) in `source/`, and `results/results.json` must be written whatever happens.
"""
