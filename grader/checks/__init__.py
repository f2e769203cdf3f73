"""Check kinds and what they need: cases, the expression language, comparison, the two sides.

Checks are plain functions in the trusted process; they see the student only through
`sides.StudentSide`, whose every answer has crossed the sandbox boundary as plain data.
"""
