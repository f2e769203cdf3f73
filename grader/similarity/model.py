"""`similarity.json`: what `grader similarity` found, as a pydantic model with a JSON Schema.

Every text a student controls (ids, file names, paths, cell labels) is cleaned by its type
(grader.text): no escape sequences or control characters, one line, a length cap.
Line numbers are those of the code as handed in: of the `.py` file, or of a notebook's code cell
(`where` names the cell).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from grader import __version__
from grader.text import NAME_LIMIT, clean

SCHEMA_VERSION = 1
Name = Annotated[str, AfterValidator(lambda v: clean(v, NAME_LIMIT, one_line=True))]
PathText = Annotated[str, AfterValidator(lambda v: clean(v, 1000, one_line=True))]
Message = Annotated[str, AfterValidator(lambda v: clean(v, 2000))]
_STRICT = ConfigDict(extra="forbid")


class Settings(BaseModel):
    model_config = _STRICT

    k: int = Field(12, description="fingerprints are runs of this many tokens (names, strings, comments normalised)")
    window: int = Field(5, description="winnowing window: any shared run of k + window - 1 tokens is seen")
    common: int = Field(description="a run found in more than this many submissions is common code and ignored")
    min_tokens: int = Field(80, description="shares are computed on at least this many tokens of own code")
    min_score: float = Field(0.25, description="pairs scoring less are not listed")
    threshold: float = Field(0.6, description="pairs scoring at least this join a cluster")


class Document(BaseModel):
    model_config = _STRICT

    name: Name = Field(description="the student id, or the known solution's file name")
    kind: Literal["student", "source"]
    path: PathText
    tokens: int = Field(description="tokens in the code (comments and docstrings do not count)")
    own_tokens: int = Field(description="tokens not in the handed-out code")
    distinct_tokens: int = Field(description="own tokens that are not common code either")


class Region(BaseModel):
    model_config = _STRICT

    where: Name = Field(description="the file, or the notebook's code cell")
    first: int = Field(description="first line (1-based, in the file or the cell)")
    last: int


class Side(BaseModel):
    model_config = _STRICT

    name: Name
    share: float = Field(description="matched tokens / own tokens (at least min_tokens): how much of this "
                                     "side's own code is also in the other")
    matched_tokens: int
    regions: list[Region]


class Pair(BaseModel):
    model_config = _STRICT

    rank: int
    score: float = Field(description="symmetric: matched tokens of both / own tokens of both, in [0, 1]")
    a: Side
    b: Side
    with_source: bool = Field(description="one side is a known solution from --reference-dir")
    cluster: int | None = Field(None, description="the cluster both belong to, when score >= threshold")
    page: str | None = Field(None, description="the side-by-side page, relative to similarity.json "
                                               "(only the first 500 pairs have one)")


class Cluster(BaseModel):
    model_config = _STRICT

    number: int
    members: list[Name]
    top_score: float
    pairs: int = Field(description="pairs at or above the threshold inside the cluster")


class SimilarityReport(BaseModel):
    model_config = _STRICT

    schema_version: int = SCHEMA_VERSION
    grader_version: str = __version__
    assignment: Name
    created_at: str
    settings: Settings
    compared: int = Field(description="pairs compared in full (those sharing any uncommon fingerprint)")
    clusters: list[Cluster]
    pairs: list[Pair]
    documents: list[Document]
    set_aside: list[Message] = Field(default_factory=list, description="files that could not be compared, and why")

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def json_schema() -> dict[str, Any]:
    return SimilarityReport.model_json_schema()


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
