"""Every exercise's tests, proven against right and wrong code (DESIGN.md, "A chapter is done
when", item 3): each other correct implementation in ``tests/variants/<slug>.py`` passes every
test cell, and each plausible wrong one fails its exercise's test with a message about its own
mistake. Fast: only the setup, exercise and test cells run, never the experiment.

A writing chapter declares that it has no code exercises; here it must have none, and no
variants."""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import COURSE, SLUGS
from exercise_variants import ChapterExercises, Variant, load_variants, variants_file

from autograder.course import WRITING

MIN_WRONG = 3


@cache
def chapter(slug: str) -> ChapterExercises:
    return ChapterExercises.read(COURSE.source_notebook(slug))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name, want_correct in (("correct_variant", True), ("wrong_variant", False)):
        if name in metafunc.fixturenames:
            chosen = [v for s in SLUGS for v in load_variants(s) if v.correct == want_correct]
            metafunc.parametrize(name, chosen, ids=[v.id for v in chosen])


def test_every_exercise_has_a_correct_and_three_wrong_variants(slug):
    variants = load_variants(slug)
    exercises = list(chapter(slug).answers)
    if COURSE.chapter_kind(slug) == WRITING:
        assert not exercises and not variants_file(slug).exists(), (
            f"{slug} is a writing chapter, which has no code exercises: found exercises "
            f"{exercises}; variants file {variants_file(slug).name} exists: "
            f"{variants_file(slug).exists()}"
        )
        return
    unknown = {v.exercise for v in variants} - set(exercises)
    assert not unknown, (
        f"{variants_file(slug).name}: variants for {unknown}, which are not exercises of "
        f"{slug} (its exercises: {exercises})"
    )
    for exercise in exercises:
        kinds = [v.correct for v in variants if v.exercise == exercise]
        assert kinds.count(True) >= 1 and kinds.count(False) >= MIN_WRONG, (
            f"{slug}: {exercise} has {kinds.count(True)} correct and {kinds.count(False)} wrong "
            f"variants; add at least one other correct implementation and {MIN_WRONG} plausible "
            f"wrong ones to tests/variants/{slug}.py"
        )


def test_the_reference_solution_passes_every_test(slug):
    exercises = chapter(slug)
    if COURSE.chapter_kind(slug) == WRITING:
        assert not exercises.answers and not exercises.tests, (
            f"{slug} is a writing chapter: it has no exercise or test cell to run"
        )
        exercises.namespace()  # its code (the install cell) still runs
        return
    failures = exercises.run_all_tests(exercises.namespace())
    assert not failures, f"{slug}: the solutions fail their own tests: {failures}"


def test_a_correct_variant_passes_every_test(correct_variant: Variant):
    v = correct_variant
    exercises = chapter(v.slug)
    failures = exercises.run_all_tests(exercises.namespace({v.exercise: v.source}))
    assert not failures, (
        f"{v.where}: a correct {v.exercise} ({v.description}) is rejected by the tests:\n"
        + "\n".join(f"  test of {e}: {f}" for e, f in failures.items())
        + "\nThe tests must accept every correct implementation: check properties, not one "
        "particular algorithm."
    )


def test_a_wrong_variant_fails_with_a_message_about_its_mistake(wrong_variant: Variant):
    v = wrong_variant
    exercises = chapter(v.slug)
    failures = exercises.run_all_tests(exercises.namespace({v.exercise: v.source}))
    own = failures.get(v.exercise)
    assert own is not None, (
        f"{v.where}: the tests of {v.exercise} pass a wrong implementation ({v.description}); "
        "add a test that catches this mistake"
    )
    assert own.error == v.error and re.search(v.message, own.message), (
        f"{v.where}: {v.exercise} ({v.description}) fails with\n  {own}\nwhich does not point "
        f"at the mistake (expected {v.error} matching {v.message!r})"
    )
    silent = {e: f for e, f in failures.items() if e != v.exercise and v.exercise not in f.message}
    assert not silent, (
        f"{v.where}: a wrong {v.exercise} also fails the tests of {list(silent)} without naming "
        f"{v.exercise} in the message, so the learner looks for the bug in the wrong place:\n"
        + "\n".join(f"  test of {e}: {f}" for e, f in silent.items())
    )


def test_variants_stay_out_of_the_release_and_the_book(course, slug):
    marker = re.compile(r"^@(correct|wrong)\(", re.M)
    shipped = [
        p
        for folder in (course.solutions_dir / slug, course.exercises_dir / slug)
        for p in folder.rglob("*")
        if p.is_file() and p.suffix != ".ipynb" and marker.search(p.read_text(errors="ignore"))
    ]
    assert not shipped, f"variants must live in tests/variants/, not beside the notebook: {shipped}"
    toc = (course.root / "_toc.yml").read_text()
    assert "tests/" not in toc, "variants are not pages of the book"
