"""Checks: running an assignment's declared checks on one submission, and saying what they found.

Reading order: `cases` (the inputs), `student` and `reference` (the two sides; the student is
reached only through the sandboxed session, every answer plain data), `kinds/` (one module per
`kind` of check), `compare` (numbers by meaning), `diagnose` and `suspects` (naming the mistake),
`messages` (every sentence a student reads), `runner` (one check over its cases), `answers` (the
reference's answers, the one cache a plan keeps) and `prefetch` (a check's calls sent ahead).
"""
