"""Stories: the reports of one happening by every outlet, in every language, gathered as they arrive.

`profile` reads a report (embedding, day, figures, names); `copies` finds texts published twice; `pairs`
judges whether two reports tell of one happening; `assign` puts each new report in its story or starts one,
online, never re-clustering; `batch` runs that over a file of reports in the order they were published.
"""

from warta.stories.assign import Assignment, StoryIndex
from warta.stories.batch import cluster
from warta.stories.embed import E5, Embedder
from warta.stories.profile import Report

__all__ = ["E5", "Assignment", "Embedder", "Report", "StoryIndex", "cluster"]
