"""Every chapter's source and released notebook: clean, well-formed for nbgrader, and built to
the chapter skeleton of DESIGN.md. Fast: nothing is executed here.

Each check asks the chapter's kind: an experiment chapter (the default) has code exercises, tests
and an effect check; a writing chapter declares that it has none of them, and each check asserts
so. tests/test_writing_chapters.py checks what a writing chapter has instead."""

from __future__ import annotations

import ast
import re

import pytest
from browser_helpers import repository
from chapter_notebook import (
    ASSIGNMENT_HEADING,
    HINT,
    INSTALL_GRADE_ID,
    MIN_ASSIGNMENTS,
    SKELETON,
    WRITING_CLOSING,
    WRITING_OPENING,
    ChapterNotebook,
    exercise_statement,
    install_cell,
    is_autograded_answer,
    is_test,
    is_written_answer,
    nbgrader,
)

from autograder.course import WRITING


@pytest.fixture
def source(course, slug) -> ChapterNotebook:
    return ChapterNotebook.read(course.source_notebook(slug))


def all_committed_notebooks(course):
    return sorted(
        p
        for folder in (course.solutions_dir, course.exercises_dir)
        for p in folder.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def test_there_is_at_least_one_chapter(course):
    assert course.slugs(), "no chapter notebook found under solutions/<slug>/<slug>.ipynb"


def test_no_committed_notebook_has_outputs_or_execution_counts(course):
    dirty = []
    for path in all_committed_notebooks(course):
        for i, cell in enumerate(ChapterNotebook.read(path).cells):
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count):
                dirty.append(f"{path.relative_to(course.root)} cell {i}")
    assert not dirty, f"clear outputs before committing: {dirty}"


def test_every_chapter_has_its_released_exercise(course, slug):
    assert course.exercise_notebook(slug).is_file(), f"run `make release` to create {slug}"


def test_grade_ids_are_unique_and_graded_cells_carry_points(source):
    ids = [nbgrader(c)["grade_id"] for c in source.cells if nbgrader(c)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"grade_id used more than once: {duplicates}"
    for cell in source.cells:
        meta = nbgrader(cell)
        if meta.get("grade"):
            assert meta.get("points", 0) > 0, f"graded cell {meta['grade_id']} has no points"
        if meta:
            assert meta.get("schema_version") == 3, f"{meta['grade_id']}: schema_version must be 3"


def test_autograded_answers_have_solution_markers_and_a_test_right_below(source):
    cells = source.cells
    answers = [i for i, c in enumerate(cells) if is_autograded_answer(c)]
    if source.kind == WRITING:
        assert not answers, (
            f"a writing chapter has no code exercises, found {len(answers)}: make them written "
            "answers, or declare the chapter an experiment"
        )
        return
    assert 2 <= len(answers) <= 4, (
        f"a chapter has two to four coding exercises, found {len(answers)}"
    )
    for i in answers:
        grade_id = nbgrader(cells[i])["grade_id"]
        assert "### BEGIN SOLUTION" in cells[i].source and "### END SOLUTION" in cells[i].source, (
            f"{grade_id}: the solution must sit between ### BEGIN/END SOLUTION"
        )
        following = next((c for c in cells[i + 1 :] if c.cell_type == "code"), None)
        assert following is not None and is_test(following), (
            f"{grade_id}: the next code cell must be its autograded test cell"
        )


def test_tests_explain_themselves_and_some_are_hidden(source):
    tests = [c for c in source.cells if is_test(c)]
    if source.kind == WRITING:
        ids = [nbgrader(c)["grade_id"] for c in tests]
        assert not tests, f"a writing chapter has no autograded test cells, found {ids}"
        return
    assert tests, "no autograded test cell"
    for cell in tests:
        first_line = cell.source.strip().splitlines()[0]
        assert first_line.startswith(('"""', "#")), (
            f"{nbgrader(cell)['grade_id']}: start with a one-line docstring saying what it checks"
        )
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in tests), "no hidden edge-case tests"


def test_written_answers_carry_a_model_answer_and_a_rubric(source):
    written = [c for c in source.cells if is_written_answer(c)]
    assert written, "no manually graded written answer"
    for cell in written:
        grade_id = nbgrader(cell)["grade_id"]
        assert "Model answer" in cell.source, f"{grade_id}: no model answer"
        assert "Rubric" in cell.source, f"{grade_id}: no rubric"
        assert "BEGIN SOLUTION" not in cell.source, (
            f"{grade_id}: a written answer is the whole cell; markers make the release show the "
            "placeholder twice"
        )


def test_the_book_collapses_solutions_and_removes_tests(source):
    for cell in source.cells:
        tags = cell.metadata.get("tags", [])
        if is_autograded_answer(cell):
            assert "hide-input" in tags, f"{nbgrader(cell)['grade_id']}: tag it hide-input"
        if is_test(cell):
            assert "remove-cell" in tags, f"{nbgrader(cell)['grade_id']}: tag it remove-cell"


def test_the_chapter_follows_the_skeleton(source):
    if source.kind == WRITING:
        follows_the_writing_skeleton(source)
        return
    headings = [h for h in source.headings() if h in SKELETON]
    assert headings == list(SKELETON), f"sections must be {SKELETON} in order, found {headings}"
    sections = source.section_of_each_cell()
    graded_in = {s for s, c in zip(sections, source.cells, strict=True) if is_written_answer(c)}
    assert {"Predict first", "Reflect"} <= graded_in, (
        "Predict first and Reflect each need a written answer cell"
    )
    coded_in = {s for s, c in zip(sections, source.cells, strict=True) if is_autograded_answer(c)}
    assert coded_in == {"Build"}, f"coding exercises belong in Build, found in {coded_in}"


def follows_the_writing_skeleton(source: ChapterNotebook) -> None:
    """The prompt, How to use this chapter, Assignment 1..N (N >= 6), Peer review, Going further,
    each assignment with exactly one written answer in its section and none elsewhere."""
    headings = source.headings()
    opening, closing = len(WRITING_OPENING), len(WRITING_CLOSING)
    assignments = headings[opening : len(headings) - closing]
    expected = [*WRITING_OPENING, *(f"Assignment {i + 1}: <title>" for i in range(6)), "...",
                *WRITING_CLOSING]  # fmt: skip
    assert (
        tuple(headings[:opening]) == WRITING_OPENING
        and tuple(headings[len(headings) - closing :]) == WRITING_CLOSING
        and all(ASSIGNMENT_HEADING.fullmatch(h) for h in assignments)
    ), f"a writing chapter's sections are {expected}; found {headings}"
    numbers = [int(ASSIGNMENT_HEADING.fullmatch(h)["number"]) for h in assignments]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= MIN_ASSIGNMENTS, (
        f"number the assignments 1, 2, 3, ... and give at least {MIN_ASSIGNMENTS}; found {numbers}"
    )
    sections = source.section_of_each_cell()
    answered = [s for s, c in zip(sections, source.cells, strict=True) if is_written_answer(c)]
    assert answered == assignments, (
        "each assignment's section holds exactly one written answer cell, and no other section "
        f"holds one; written answers found under {answered}"
    )


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def test_the_header_names_the_prompt_difficulty_time_and_binder_and_colab_launch(
    course, slug, source
):
    header = source.cells[0]
    assert header.cell_type == "markdown" and header.source.startswith("# ")
    for required in ("Ngo", "Difficulty", "Time", "Prerequisites"):
        assert required in header.source, f"the header must state {required}"
    assert re.search(r"Difficulty:?\**\s*[★*]{1,3}", header.source), "difficulty as * to ***"
    org_repo, branch = repository()
    binder = (
        f"https://mybinder.org/v2/gh/{org_repo}/{branch}"
        f"?urlpath=lab/tree/exercises/{slug}/{slug}.ipynb"
    )
    assert binder in header.source, f"the header must link the exercise on Binder: {binder}"
    colab = (
        f"https://colab.research.google.com/github/{org_repo}/blob/{branch}"
        f"/exercises/{slug}/{slug}.ipynb"
    )
    badge = f"[![Open the exercises in Colab]({COLAB_BADGE})]({colab})"
    # The exercise is what Colab opens; the source notebook is what the book page shows.
    for notebook in (course.source_notebook(slug), course.exercise_notebook(slug)):
        text = ChapterNotebook.read(notebook).cells[0].source
        links = re.findall(r"https://colab\.research\.google\.com/github/[^)\s\"']+", text)
        assert links == [colab] and badge in text, (
            f"the header of {notebook.relative_to(course.root)} must open the exercise in Colab "
            f"with exactly one badge, beside the Binder badge: {badge}; found links {links}"
        )


def test_the_first_code_cell_installs_the_course_package_where_it_is_missing(course, slug):
    """On Colab nothing of the repository is installed; the cell installs it there and does
    nothing elsewhere. It comes before the imports, and is the same in every chapter."""
    expected = install_cell(*repository())
    for path in (course.source_notebook(slug), course.exercise_notebook(slug)):
        code = [c for c in ChapterNotebook.read(path).cells if c.cell_type == "code"]
        where = path.relative_to(course.root)
        found = [i for i, c in enumerate(code) if c.source.strip() == expected]
        assert code and code[0].source == expected, (
            f"{where}: the first code cell must be exactly the install cell"
            + (f" (it is code cell {found[0] + 1})" if found else "")
            + f":\n{expected}"
        )
        again = [
            i + 1 for i, c in enumerate(code) if i and re.search(r"\bpip\b.*install", c.source)
        ]
        assert not again, f"{where}: only the first code cell installs; code cells {again} do too"
    first = ChapterNotebook.read(course.source_notebook(slug)).cells[1]
    assert first.cell_type == "code" and first.source == expected, (
        f"the install cell must follow the header cell directly in {slug}"
    )
    meta = nbgrader(first)
    wanted = {"grade_id": INSTALL_GRADE_ID, "locked": True, "grade": False, "solution": False}
    assert {key: meta.get(key) for key in wanted} == wanted, (
        f"the install cell is locked (restored when graded) and ungraded: its nbgrader "
        f"metadata must hold {wanted}; got {meta}"
    )
    assert first.metadata.get("tags") == ["remove-cell"], (
        "tag the install cell remove-cell: the book's reader has no use for it"
    )


def test_every_chapter_is_in_the_table_of_contents(course, slug):
    toc = (course.root / "_toc.yml").read_text()
    assert f"file: solutions/{slug}/{slug}" in toc, f"add solutions/{slug}/{slug} to _toc.yml"


EFFECT_CHECK = "check_paper_effects"


@pytest.mark.parametrize("version", ["source", "release"])
def test_every_exercise_offers_one_or_two_collapsed_hints_before_its_solution(
    course, slug, version
):
    path = course.source_notebook(slug) if version == "source" else course.exercise_notebook(slug)
    cells = ChapterNotebook.read(path).cells
    for i, cell in enumerate(cells):
        if not is_autograded_answer(cell):
            continue
        grade_id = nbgrader(cell)["grade_id"]
        statement = exercise_statement(cells, i)
        hints = HINT.findall(statement)
        assert 1 <= len(hints) <= 2, (
            f"{path.name}, {grade_id}: the statement above the exercise needs one or two hints, "
            "each a collapsed block: '<details><summary>Hint 1: ...</summary>', a blank line, "
            f"the hint, a blank line, '</details>'; found {len(hints)}"
        )
        assert statement.count("<details") == len(hints) and "<details open" not in statement, (
            f"{path.name}, {grade_id}: every <details> block must be a well-formed, closed hint"
        )
        titles = re.findall(r"<summary>(.*?)</summary>", statement)
        assert not any("$" in t or "`" in t for t in titles), (
            f"{path.name}, {grade_id}: a hint's title is HTML, where Markdown and maths do not "
            f"render: write it in plain words (σ, not $\\sigma$); got {titles}"
        )


def effect_assertions(tree: ast.AST) -> list[tuple[ast.Assert, list[str] | None]]:
    """Each assert in the tree with the exercises named by its innermost ``with involving(...)``
    (None when it is not inside one)."""
    found = []

    def visit(node: ast.AST, involved: list[str] | None) -> None:
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "involving":
                    involved = [a.value for a in call.args if isinstance(a, ast.Constant)]
        if isinstance(node, ast.Assert):
            found.append((node, involved))
        for child in ast.iter_child_nodes(node):
            visit(child, involved)

    visit(tree, None)
    return found


def test_the_effect_check_names_the_exercises_each_assertion_rests_on(source):
    cells = [c for c in source.cells if nbgrader(c).get("grade_id") == EFFECT_CHECK]
    if source.kind == WRITING:
        assert not cells, f"a writing chapter runs no experiment, so it has no {EFFECT_CHECK}"
        return
    assert len(cells) == 1, f"a chapter needs one effect-check cell with grade_id {EFFECT_CHECK}"
    check = cells[0]
    assert nbgrader(check).get("locked") and not nbgrader(check).get("grade"), (
        f"{EFFECT_CHECK} must be locked (restored when graded) and carry no points"
    )
    exercises = {nbgrader(c)["grade_id"] for c in source.cells if is_autograded_answer(c)}
    assertions = effect_assertions(ast.parse(check.source))
    assert assertions, f"{EFFECT_CHECK} asserts nothing"
    for node, involved in assertions:
        assert involved and set(involved) <= exercises, (
            f"{EFFECT_CHECK}, line {node.lineno}: put each assert inside "
            f"`with involving(...)` naming the exercises it depends on (of {sorted(exercises)}), "
            f"so a failure tells the learner where to look; got {involved}"
        )
