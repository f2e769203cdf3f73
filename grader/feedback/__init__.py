"""HTML feedback: a self-contained page per student and a class dashboard (`grader feedback DIR`).

Everything here reads finished reports only; nothing runs student code. Pages carry no scripts
and load nothing from the network, so they open from a file, an email or an LMS upload alike.
"""
