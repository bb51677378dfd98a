"""Specification of `python -m autograder answers`: after grading, one HTML page per chapter
with every manually graded question, its rubric and model answer, and each student's answer
(empty ones counted, not listed), with the manual score given so far; the predict-first question
beside each distinct table the students' runs measured. Student answers are untrusted: their
HTML is shown as text, never run.

The fast tests grade a tiny chapter for real (four students, in real kernels, into nbgrader's
gradebook) once per module; the slow one grades a real chapter and reads the page in Chromium.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.api import Gradebook
from tiny_course import CORRECT_ANSWERS, SLUG, inbox_with, nbgrader, tiny_source

from autograder.__main__ import main
from autograder.answers import collect_answers, source_questions
from autograder.check import readable_markup
from autograder.course import WRITING, Course
from autograder.grade import grade_chapter
from autograder.gradebook import create_gradebook
from autograder.run_tables import SHOW_TABLE_START
from autograder.submissions import collect

REPO = Path(__file__).resolve().parents[1]

PREDICT_PROMPT = "## Predict first\n\nWhat will the Run section measure for `add(1, 2)`?"
PREDICT_MODEL = (
    "```{admonition} Model answer\n:class: dropdown\n\nIt measures 3.\n\n"
    "**Rubric (1 point):** full credit for any committed number.\n```"
)
WHY_PROMPT = "## Reflect\n\n**Question 1 (2 points).** Why does 1 + 2 equal 3?"
WHY_MODEL = (
    "```{admonition} Model answer\n:class: dropdown\n\nBy the definition of addition.\n\n"
    "**Rubric (2 points):** 1 point for naming the definition; 1 point for an example.\n```"
)
RUN = (
    "from alignment_lab.reporting import show_table\n\n"
    'show_table(["a", "b", "add(a, b)"], [[2, 2, add(2, 2)], [1, 2, add(1, 2)]], title="Sums")'
)
SCRIPT = "<script>window.pwned = 1</script>"
STUDENTS = {  # student -> the cells they changed in the released notebook
    "ada_lovelace": {
        **CORRECT_ANSWERS,
        "predict_first": "It will measure **3**.",
        "why": "Counting one, then two more, gives three.",
    },
    "bob_builder": {
        **CORRECT_ANSWERS,
        "predict_first": "Perhaps 4?",
        "why": f"{SCRIPT} It is *defined* that way.",
    },
    "cy_twombly": CORRECT_ANSWERS,  # wrote nothing: both answers keep the placeholder
    "dee_dee": {
        "add": "def add(a, b):\n    return a * b",  # a different measured table
        "pause": CORRECT_ANSWERS["pause"],
        "predict_first": "3, surely.",
        "why": "  \n\n ",  # blank
    },
}
NAMES = list(STUDENTS)


def answers_source() -> nbformat.NotebookNode:
    """The tiny chapter with a predict-first question, a Run section printing a results table,
    and its written question given a rubric."""
    nb = tiny_source()
    title, add, test_add, pause, test_pause, why_prompt, why = nb.cells
    why_prompt.source, why.source = WHY_PROMPT, WHY_MODEL
    predict = copy.deepcopy(why)
    predict.id = "predict-first-answer"
    predict.metadata.nbgrader.update(grade_id="predict_first", points=1)
    predict.source = PREDICT_MODEL
    nb.cells = [
        title,
        new_markdown_cell(PREDICT_PROMPT),
        predict,
        add,
        test_add,
        pause,
        test_pause,
        new_markdown_cell("## Run\n\nThe experiment adds a few numbers."),
        new_code_cell(RUN),
        why_prompt,
        why,
        new_markdown_cell("## Going further\n\nSubtraction."),
    ]
    return nb


def released_course(root: Path) -> Path:
    """A course holding the chapter above, released; returns the student notebook."""
    (root / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text())
    (root / "solutions" / SLUG).mkdir(parents=True)
    nbformat.write(answers_source(), root / "solutions" / SLUG / f"{SLUG}.ipynb")
    nbgrader(root, "generate_assignment", SLUG)
    return root / "exercises" / SLUG / f"{SLUG}.ipynb"


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """The course after `grade` of the four students, and ada's answer scored 2 by hand."""
    root = tmp_path_factory.mktemp("course")
    released = released_course(root)
    inbox = inbox_with(tmp_path_factory.mktemp("inbox") / "inbox", released, STUDENTS)
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(root), SLUG, collect(inbox, SLUG).submissions, pool, isolate=False,
            progress=False,
        )  # fmt: skip
    assert {o.status for o in outcomes.values()} == {"graded"}, outcomes
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:  # formgrader's manual grade
        gb.find_grade("why", SLUG, SLUG, "ada_lovelace").manual_score = 2
        gb.db.commit()
    return root


def run_main(*args: str | Path) -> int:
    try:
        return main([str(a) for a in args])
    except SystemExit as stop:
        return stop.code


def page_of(root: Path, *options: str, capsys) -> tuple[Path, BeautifulSoup]:
    """Run the command; the page's path (as printed) and its parsed HTML."""
    status = run_main("--course", root, "answers", SLUG, *options)
    out, err = capsys.readouterr()
    assert status == 0, err
    path = Path(out.strip().splitlines()[-1])
    return path, BeautifulSoup(path.read_text(), "html.parser")


def section(page: BeautifulSoup, grade_id: str):
    found = page.find("section", id=f"q-{grade_id}")
    assert found is not None, f"no section for {grade_id}"
    return found


def answers_in(question) -> dict[str, tuple[str, str]]:
    """who -> (score as shown, answer text) for each answer listed under a question."""
    return {
        a.find(class_="who").get_text(): (
            a.find(class_="score").get_text(),
            a.get_text(" ", strip=True).split(a.find(class_="score").get_text(), 1)[1].strip(),
        )
        for a in question.find_all("article", class_="answer")
    }


def test_each_question_shows_its_prompt_rubric_model_answer_and_the_answers_given(graded, capsys):
    # Catches: a question missing, its prompt or rubric lost, an empty answer listed, an answer
    # under the wrong student.
    path, page = page_of(graded, capsys=capsys)
    assert path == graded / "grading" / SLUG / "answers.html"
    why = section(page, "why")
    assert why.h2.get_text().startswith("Question 1")
    assert "Why does 1 + 2 equal 3?" in why.find(class_="prompt").get_text()
    assert "1 point for naming the definition" in why.find(class_="rubric").get_text()
    assert "By the definition of addition." in why.find("details", class_="model").get_text()
    given = answers_in(why)
    assert set(given) == {"ada_lovelace", "bob_builder"}, "cy and dee left it empty"
    assert given["ada_lovelace"][1] == "Counting one, then two more, gives three."
    assert "2 students left this empty." in why.get_text()

    predict = section(page, "predict_first")
    assert "What will the Run section measure" in predict.find(class_="prompt").get_text()
    assert set(answers_in(predict)) == {"ada_lovelace", "bob_builder", "dee_dee"}
    assert "1 student left this empty." in predict.get_text()
    ada = predict.find("article", class_="answer")
    assert ada.find("strong").get_text() == "3", "the answer's markdown is rendered"
    titles = [s.h2.contents[0] for s in page.find_all("section", class_="question")]
    assert titles == ["Predict first", "Question 1"], "questions in notebook order"


def test_a_manual_score_in_the_gradebook_shows_and_the_others_say_not_scored_yet(graded, capsys):
    # Catches: scores read from the wrong student or cell, or an autograded 0 shown as a score.
    _, page = page_of(graded, capsys=capsys)
    given = answers_in(section(page, "why"))
    assert given["ada_lovelace"][0] == "2 / 2"
    assert given["bob_builder"][0] == "not scored yet"


def test_html_in_an_answer_is_shown_as_text_never_run(graded, capsys):
    # Catches: a student's <script> (or any raw HTML) passed through into the page.
    path, page = page_of(graded, capsys=capsys)
    assert page.find_all("script") == [], "no script element, from a student or otherwise"
    bob = next(a for a in section(page, "why").find_all("article") if "bob_builder" in a.get_text())
    assert SCRIPT in bob.get_text(), "the student's markup is shown as text"
    assert bob.find("em").get_text() == "defined"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    loaded = [t for t in page.find_all(True) if t.get("src") or t.name == "link"]
    assert not loaded, f"the page loads nothing from anywhere: {loaded}"


def test_predict_first_sits_beside_each_distinct_measured_table_with_whose_run_gave_it(
    graded, capsys
):
    # Catches: one copy of the table per student, the tables of a wrong run merged with the
    # right ones, or a student's raw table HTML copied into the page.
    _, page = page_of(graded, capsys=capsys)
    measured = section(page, "predict_first").find("aside", class_="measured")
    assert measured is not None, "the measured results sit beside the predictions"
    assert measured.h4.get_text() == "Sums"
    figures = measured.find_all("figure")
    assert len(figures) == 2, "three identical runs shown once, dee's different run once"
    captions = [f.figcaption.get_text() for f in figures]
    assert captions == [
        "3 of 4 runs: ada_lovelace, bob_builder, cy_twombly",
        "1 of 4 runs: dee_dee",
    ]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in figures[0].find_all("tr")[1:]]
    assert rows == [["2", "2", "4"], ["1", "2", "3"]]
    differs = [td.get_text() for td in figures[1].find_all("td", class_="differs")]
    assert differs == ["2"], "the one value where dee's run differs is marked"
    assert not figures[0].find_all("td", class_="differs")
    assert figures[0].find("th", class_="number") is not None, "numbers stay right-aligned"
    assert section(page, "why").find("aside") is None, "only predict-first shows the run"


def test_the_header_counts_the_students_and_the_contents_link_every_question(graded, capsys):
    _, page = page_of(graded, capsys=capsys)
    assert page.h1.get_text() == "Tiny chapter: written answers"
    meta = page.find(class_="meta").get_text()
    assert "4 students" in meta and re.search(r"generated \d{4}-\d\d-\d\d \d\d:\d\d", meta)
    links = [a["href"] for a in page.nav.find_all("a")]
    assert links == ["#q-predict_first", "#q-why"]
    assert all(page.find(id=link[1:]) for link in links)


def test_anonymous_labels_hide_names_and_their_order_and_stay_the_same(graded, capsys, tmp_path):
    # Catches: a name left anywhere on the page (answers, run captions), labels given in
    # alphabetical order, or labels that change between two pages of the same cohort.
    output = tmp_path / "shared.html"
    path, page = page_of(graded, "--anonymous", "--output", output, capsys=capsys)
    assert path == output
    text = page.get_text(" ")
    assert not [n for n in NAMES if n.split("_")[0] in text], "no student name on the page"
    assert set(answers_in(section(page, "predict_first"))) <= {f"Student {i}" for i in (1, 2, 3, 4)}
    _, again = page_of(graded, "--anonymous", capsys=capsys)
    assert again.find("main").get_text() == page.find("main").get_text(), "the same labels"

    key = graded / "grading" / SLUG / "anonymous-key"
    firsts = set()
    for _ in range(20):  # a fresh key draws a new order; the names' order never decides it
        key.unlink()
        cohort = collect_answers(Course(graded), SLUG, anonymous=True)
        why = next(q for q in cohort.questions if q.grade_id == "why")
        ada = next(a.student for a in why.answers if a.text.startswith("Counting"))
        firsts.add(ada)
    assert len(firsts) > 1, f"ada is always {firsts}: labels follow the names"


def test_a_submission_without_an_autograded_notebook_is_named_not_silently_dropped(graded, capsys):
    # Catches: a student missing from the page with nothing saying so.
    notebook = graded / "autograded" / "dee_dee" / SLUG / f"{SLUG}.ipynb"
    aside = notebook.with_suffix(".moved")
    notebook.rename(aside)
    try:
        _, page = page_of(graded, capsys=capsys)
    finally:
        aside.rename(notebook)
    notes = " ".join(n.get_text() for n in page.find_all(class_="note"))
    assert "1 submission in the gradebook has no autograded notebook" in notes
    assert "dee_dee" in notes and "4 students" in page.find(class_="meta").get_text()
    predict = section(page, "predict_first")
    assert "dee_dee" not in answers_in(predict)
    assert len(predict.find_all("figure")) == 1, "only the three remaining runs"


def test_the_table_recognised_is_the_one_show_table_prints():
    # Catches: alignment_lab.reporting changing its HTML so that no run table is found.
    from alignment_lab.reporting import Table

    assert Table(["a"], [[1]])._repr_html_().startswith(SHOW_TABLE_START)


def test_every_chapter_question_has_a_prompt_a_model_answer_and_a_rubric(course, slug):
    # Catches: a chapter whose source the page cannot split into question, answer and rubric.
    questions = source_questions(course, slug)
    if course.chapter_kind(slug) != WRITING:  # a writing chapter has nothing to predict
        assert "predict_first" in [q.grade_id for q in questions]
    assert questions, f"{slug}: no written question"
    for q in questions:
        assert q.prompt and q.model_answer and q.rubric, f"{slug}: {q.grade_id} is incomplete"
        assert q.rubric.startswith("**Rubric") and "Rubric" not in q.model_answer
        assert "{admonition}" not in q.model_answer and ":class:" not in q.model_answer
        assert not q.prompt.startswith("#"), "the heading is the title, not part of the prompt"


def test_the_default_page_is_ignored_by_git():
    # Catches: a page of student names and answers that could be committed by accident.
    for name in ("answers.html", "answers-anonymous.html", "anonymous-key"):
        proc = subprocess.run(
            ["git", "check-ignore", "-q", f"grading/memorization/{name}"], cwd=REPO
        )
        assert proc.returncode == 0, f"grading/memorization/{name} is not git-ignored"


def test_bad_input_ends_as_one_error_line_that_says_what_to_change(graded, tmp_path, capsys):
    # Catches: a traceback, or a gradebook silently created where none was, for bad input.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    released_course(fresh)
    (fresh / "gradebook.db").unlink()  # nbgrader's release made one: as if never graded here
    empty = tmp_path / "empty.db"
    create_gradebook(f"sqlite:///{empty}", "alignment-exercises")
    cases = {
        "no such chapter": ([graded, "answers", "nope"], r"no chapter 'nope'.*\(tiny\)"),
        "no gradebook yet": (
            [fresh, "answers", SLUG],
            rf"no gradebook at {fresh}/gradebook.db: run `python -m autograder grade {SLUG}",
        ),
        "nothing graded": (
            [fresh, "answers", SLUG, "--db", f"sqlite:///{empty}"],
            rf"nothing of chapter '{SLUG}' is graded.*run `python -m autograder grade",
        ),
        "graded elsewhere": (
            [fresh, "answers", SLUG, "--db", f"sqlite:///{graded / 'gradebook.db'}"],
            r"none has an autograded notebook under .*pass the --course it was graded in",
        ),
        "not a URL": ([graded, "answers", SLUG, "--db", "gradebook.db"], "not a database URL"),
        "output is a folder": (
            [graded, "answers", SLUG, "--output", tmp_path],
            "is a folder; give the path of an .html file",
        ),
    }
    for case, (args, expected) in cases.items():
        status = run_main("--course", *args)
        err = capsys.readouterr().err
        assert status == 2, f"{case}: {err}"
        assert err.startswith("error: ") or "error: " in err, f"{case}: {err}"
        assert re.search(expected, err, re.S), f"{case}: {err}"
        assert "Traceback" not in err, f"{case}: {err}"
    assert not (fresh / "gradebook.db").exists(), "reading created a gradebook"


# --- a real chapter, graded for real, read in a browser --------------------------------------

REAL = "cirl-off-switch"  # the cheapest chapter to run (about 10 s)
REAL_ANSWERS = {
    "ana": {
        "predict_first": "It defers **less** than the correct robot, and is confident but wrong.",
        "reflect_project_10": "Uncertainty helps only while the model of her is right.",
        "reflect_fully_updated": "Yes: once confident it never asks again.",
        "reflect_exercise": "The noise level must be known to within a factor of two.",
        "reflect_limits": "Four goals and snacks say little about real preferences.",
    },
    "ben": {
        "predict_first": "More deference, since a noisy human is harder to read.",
        "reflect_project_10": f"{SCRIPT} The claim holds for the biased human.",
        "reflect_fully_updated": "Only if her goal changes.",
        "reflect_exercise": "Its model must include her temptation.",
    },
    "cal": {
        "predict_first": "Less, and it stays uncertain.",
        "reflect_project_10": "It supports the claim.",
        "reflect_fully_updated": "It is a problem when the goal moves.",
        "reflect_exercise": "Hard to meet; still useful.",
        "reflect_limits": "Nothing about large models.",
    },
}


def filled_in(course: Course, slug: str, written: dict[str, str], code: dict[str, str]) -> dict:
    """The released notebook with every exercise solved (the source's solution, or ``code``
    for the grade ids it names) and the written answers ``written``."""
    solutions = {
        cell.metadata.nbgrader["grade_id"]: "\n".join(
            line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
            and "### END SOLUTION" not in line
        )
        for cell in nbformat.read(course.source_notebook(slug), as_version=4).cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }  # fmt: skip
    nb = nbformat.read(course.exercise_notebook(slug), as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id in solutions:
            cell.source = code.get(grade_id, solutions[grade_id])
        elif grade_id in written:
            cell.source = written[grade_id]
    return nb


@pytest.mark.slow
def test_a_real_chapters_page_reads_well_in_a_browser_and_runs_nothing(tmp_path):
    # Catches: a page whose questions, rubrics, answers or measured tables do not show in a
    # real browser, a student's script that runs, or a page that reaches for the network.
    from browser_helpers import SCREENSHOTS, chromium, watch
    from exercise_variants import load_variants

    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    (root / "book").mkdir()
    (root / "nbgrader_config.py").write_text((REPO / "nbgrader_config.py").read_text())
    (root / "book" / "references.bib").write_text((REPO / "book/references.bib").read_text())
    course = Course(root)
    shutil.copytree(Course.default().solutions_dir / REAL, course.solutions_dir / REAL)
    nbgrader(root, "generate_assignment", REAL)
    wrong = next(  # passes nothing, and measures other numbers
        v for v in load_variants(REAL)
        if v.exercise == "goal_posterior" and not v.correct and "every option" in v.description
    )  # fmt: skip
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for student, written in REAL_ANSWERS.items():
        code = {wrong.exercise: wrong.source} if student == "ben" else {}
        nbformat.write(filled_in(course, REAL, written, code), inbox / f"{student}.ipynb")
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            course, REAL, collect(inbox, REAL).submissions, pool, progress=False
        )
    assert {o.status for o in outcomes.values()} == {"graded"}, outcomes

    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "--course", str(root), "answers", REAL],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page_path = Path(proc.stdout.strip())
    assert page_path == root / "grading" / REAL / "answers.html"

    questions = source_questions(course, REAL)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        log = watch(page, "file://")
        page.goto(page_path.as_uri())
        for q in questions:
            box = page.locator(f"#q-{q.grade_id}")
            assert box.locator("h2").is_visible(), q.grade_id
            rubric = box.locator(".rubric")
            assert rubric.is_visible() and "Rubric" in rubric.inner_text(), q.grade_id
            model = box.locator("details.model")
            text = model.locator(":scope > :not(summary)").first
            assert not text.is_visible(), f"{q.grade_id}: the model answer starts hidden"
            model.locator("summary").click()
            assert text.is_visible(), f"{q.grade_id}: the model answer opens with a click"
            for student, written in REAL_ANSWERS.items():
                if q.grade_id in written:
                    who = page.locator(".who", has_text=re.compile(f"^{student}$"))
                    answer = box.locator("article.answer").filter(has=who)
                    assert answer.is_visible(), f"{student}'s answer to {q.grade_id}"
            if q.grade_id == "reflect_limits":
                assert box.get_by_text("1 student left this empty.").is_visible()

        predict = page.locator("#q-predict_first")
        measured = predict.locator("aside.measured")
        slot = measured.locator("section.slot", has_text="After 40 choices")
        assert slot.locator("table").first.is_visible()
        assert slot.get_by_text("2 of 3 runs: ana, cal").is_visible()
        assert slot.get_by_text("1 of 3 runs: ben").is_visible()
        assert slot.locator("td.differs").count() > 0, "ben's different numbers are marked"
        predictions = predict.locator("div.answers").bounding_box()
        assert measured.bounding_box()["x"] > predictions["x"] + predictions["width"] / 2, (
            "what was measured sits beside the predictions"
        )
        ben = page.locator("#q-reflect_project_10 article.answer", has_text="ben")
        assert ben.count() == 1
        assert SCRIPT in ben.inner_text(), "the script is shown as text"
        assert page.evaluate("typeof window.pwned") == "undefined", "and never runs"
        assert not log.blocked and not log.page_errors, (log.blocked, log.page_errors)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"answers-{REAL}.png"), full_page=True)


def test_prompts_show_book_links_and_citations_as_text_not_markup():
    """Catches raw MyST roles on the answers page: the writing chapter's prompts link to other
    chapters with {doc} and cite papers with {cite:t}."""
    questions = source_questions(Course.default(), "writing-projects")
    prompts = "\n".join(q.prompt for q in questions)
    assert "{doc}" not in prompts and "{cite:" not in prompts
    assert "Goal misgeneralization" in prompts
    assert "../goal-misgeneralization" not in prompts


def test_readable_markup_keeps_a_link_title_or_else_its_path():
    course = Course.default()
    text = "See {doc}`Power-seeking <../power-seeking/power-seeking>` and {doc}`intro`."
    assert readable_markup(text, course) == "See Power-seeking and intro."
