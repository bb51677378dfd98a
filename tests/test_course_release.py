"""exercises/ is exactly what nbgrader generates from solutions/: never edited by hand."""

from __future__ import annotations

from autograder.release import generate_release


def files_under(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_exercises_are_exactly_the_generated_release(course, slug, tmp_path):
    generated = files_under(generate_release(course, slug, tmp_path))
    committed = files_under(course.exercises_dir / slug)
    assert generated.keys() == committed.keys(), "files differ: run `make release`"
    stale = [str(name) for name in generated if generated[name] != committed[name]]
    assert not stale, f"exercises/{slug} is stale ({stale}): run `make release`"
