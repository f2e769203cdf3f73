"""Everything that crosses the sandbox boundary, in one place, with the standard library only.

`framing` moves length-prefixed JSON frames, `codec` turns values into plain data and back, and
`messages` names every operation and reply as a typed record that checks what it reads. The
grader, the zygotes and the children all speak through these modules and nothing else; no other
module builds or parses a frame by hand. Imports are relative, so that the same files serve as
`grader.sandbox.protocol` in the grader and as `sandbox.protocol` inside the sandbox, where
nothing else of the grader exists.
"""
