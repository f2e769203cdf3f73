"""`grader similarity`: which submissions share code beyond the handout and what everyone writes.

sources (files and notebooks to lines and tokens) -> normalise (one character per token: names,
strings, comments and docstrings set aside) -> fingerprints (copydetect's winnowing; the
handout's and the class's common fingerprints removed; candidate pairs from an inverted index)
-> analysis (scores, ranking, clusters) -> pages (similarity.json, index.html, side-by-side
pages). It reads submissions and writes its own folder; it never changes a report or a grade.
"""
