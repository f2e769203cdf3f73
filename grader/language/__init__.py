"""The language of assignment.toml's expressions, below both the assignment and the checks.

`syntax` parses and vets, `evaluator` evaluates, `helpers` are the functions declarations may
call, `draws` turns a case table into variables. The loader uses it to check declarations when
an assignment loads; the checks use it to run cases. It imports nothing else of the grader.
"""
