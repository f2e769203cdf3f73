"""A folder of GitHub Classroom repositories: `<assignment prefix>-<github username>/`.

The student id is the GitHub username (the folder name without the prefix all folders share);
the folder's name is no person's name, so pages show the username (or a roster's name).
The file to grade is the assignment's file anywhere in the repository (outside `.git`), or the
repository's only Python file or notebook. The submission time, for the late policy, is the time
of the commit that is graded (HEAD); see grader.intake.times.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader.assignment.loader import Assignment
from grader.filenames import files_below, visible_entries
from grader.intake import times
from grader.submission import SOURCE_SUFFIXES, Origin, Submission, student_id

ORIGIN = Origin("classroom", "github_username")


def looks_like(folder: Path) -> bool:
    repos = [p for p in visible_entries(folder) if p.is_dir()]
    return bool(repos) and sum((p / ".git").exists() for p in repos) > len(repos) / 2


def _prefix(names: list[str]) -> str:
    if len(names) < 2:
        return ""
    common = os.path.commonprefix(names)  # noqa: RUF071 - folder names, compared as text on purpose
    cut = common.rfind("-")
    return common[: cut + 1] if cut > 0 else ""


def read(folder: Path, assignment: Assignment) -> tuple[list[Submission], list[str]]:
    repos = [p for p in visible_entries(folder) if p.is_dir()]
    aside = [f"{p}: not a repository folder" for p in visible_entries(folder) if p.is_file()]
    prefix = _prefix([p.name for p in repos])
    wanted = (assignment.student_file, f"{Path(assignment.student_file).stem}.ipynb")
    subs = []
    for repo in repos:
        user = student_id(repo.name[len(prefix):] or repo.name)
        files = files_below(repo, links=True)  # a linked file is refused when loaded, with a message
        named = sorted((p for p in files if p.name in wanted), key=lambda p: (len(p.parts), str(p)))
        sources = [p for p in files if p.suffix in SOURCE_SUFFIXES]
        if named:
            sub = Submission(user, repo, source=named[0], origin=ORIGIN)
        elif len(sources) == 1:
            sub = Submission(user, repo, source=sources[0], origin=ORIGIN)
        else:
            problem = (f"repository {repo.name} has no {assignment.student_file}" if not sources else
                       f"repository {repo.name} has several Python files and no {assignment.student_file}")
            sub = Submission(user, repo, problem=problem, origin=ORIGIN)
        sub.submitted_at = times.commit_time(repo)
        sub.time_source = times.COMMIT_SOURCE if sub.submitted_at else None
        subs.append(sub)
    return subs, aside
