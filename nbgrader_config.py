"""nbgrader configuration of the course. Run nbgrader from this directory: it looks for this file
only in the current directory.

Layout: each chapter is one nbgrader assignment named by its slug, with one notebook of the same
name: ``solutions/<slug>/<slug>.ipynb`` (source, with solutions and hidden tests) is released to
``exercises/<slug>/<slug>.ipynb`` (what learners get).
"""

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "alignment-exercises"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Experiments run a minute at most on one core; a cell that takes three is stuck, not slow.
c.Execute.timeout = 180

# A learner who deletes a grade cell gets it back and is graded on it, instead of scoring None.
c.OverwriteCells.add_missing_cells = True

# By default feedback shows the hidden tests; clear them from what learners see.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
