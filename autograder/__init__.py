"""A thin layer over nbgrader: release, self-check and grading."""
