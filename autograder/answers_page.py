"""The answers page: a cohort's written answers to one chapter as one self-contained HTML file.

Student answers (and the tables their runs printed) are untrusted: their markdown is rendered
with raw HTML escaped, images shown as links (nothing is fetched), and unsafe link schemes left
as text; a Content-Security-Policy forbids scripts and network loads as a second wall. Math
stays as text.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

if TYPE_CHECKING:
    from .answers import Answer, CohortAnswers, Question
    from .run_tables import MeasuredTable, TableSlot

__all__ = ["render_page", "render_markdown"]

_MARKDOWN = (
    MarkdownIt("commonmark", {"html": False})
    .enable(["table", "strikethrough"])
    .disable("image")
    .use(dollarmath_plugin, double_inline=True)
)
POLICY = "default-src 'none'; style-src 'unsafe-inline'"

CSS = """
:root { color-scheme: light; --line: #d0d7de; --muted: #57606a; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1f2328; background: #f6f8fa; }
header.page, nav, main { max-width: 80rem; margin: 0 auto; padding: 0 1.5rem; }
header.page { padding-top: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.7rem; }
.meta, .note, .count, .missing, figcaption, .grade-id { color: var(--muted); }
.meta { margin: 0; }
nav { margin-top: 1rem; }
nav ol { margin: .25rem 0 0; padding-left: 1.5rem; }
nav a { color: var(--accent); }
section.question { background: #fff; border: 1px solid var(--line); border-radius: 8px;
                   margin: 1.5rem 0; padding: 0 1.5rem 1rem; }
section.question > h2 { margin: 1rem 0 .5rem; font-size: 1.35rem; }
.grade-id { font-size: .85rem; font-weight: normal; margin-left: .5rem; }
.prompt { border-left: 4px solid var(--accent); padding-left: 1rem; }
details.model, .rubric { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px;
                          margin: .75rem 0; padding: .25rem 1rem; }
details.model summary { cursor: pointer; font-weight: bold; padding: .25rem 0; }
h3 { font-size: 1.1rem; margin: 1rem 0 .5rem; }
.columns { display: grid; gap: 1.5rem; }
@media (min-width: 70rem) { .columns.beside { grid-template-columns: minmax(18rem, 2fr) 3fr; } }
article.answer { border: 1px solid var(--line); border-radius: 6px; margin: .6rem 0;
                 padding: .25rem 1rem; overflow-wrap: anywhere; }
article.answer > header { display: flex; justify-content: space-between; gap: 1rem;
                          border-bottom: 1px solid var(--line); padding: .25rem 0; }
.who { font-weight: bold; }
.score { font-variant-numeric: tabular-nums; white-space: nowrap; }
.score.unscored { color: var(--muted); font-style: italic; }
.count { font-style: italic; }
pre, code, .math { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; white-space: pre-wrap; }
.math { background: #f6f8fa; padding: 0 .2em; }
section.slot { margin: .5rem 0 1.25rem; }
section.slot h4 { margin: .75rem 0 .25rem; }
figure { margin: .5rem 0; overflow-x: auto; }
figcaption { font-size: .9rem; margin-bottom: .25rem; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .2em .6em; text-align: left; }
th { background: #f6f8fa; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums;
                       white-space: nowrap; }
td.differs { background: #fff1c2; font-weight: bold; }
blockquote { margin: .5rem 0; padding-left: 1rem; border-left: 3px solid var(--line); }
"""


def render_markdown(text: str) -> str:
    """Markdown as HTML, safe for untrusted text: raw HTML is escaped, not passed through."""
    return _MARKDOWN.render(text)


def render_page(cohort: CohortAnswers) -> str:
    """The whole page: header, table of contents, one section per question."""
    e = html.escape
    title = f"{cohort.title}: written answers"
    people = _count(len(cohort.students), "student")
    meta = (
        f"Chapter <code>{e(cohort.slug)}</code> · {people} · generated "
        f"{e(cohort.generated.strftime('%Y-%m-%d %H:%M %Z').strip())} from the gradebook "
        f"<code>{e(cohort.gradebook)}</code>"
    )
    notes = []
    if cohort.anonymous:
        notes.append("Names are hidden: each student has the same label in every question.")
    if cohort.without_notebook:
        notes.append(
            f"{_count(len(cohort.without_notebook), 'submission')} in the gradebook "
            f"{'has' if len(cohort.without_notebook) == 1 else 'have'} no autograded notebook "
            f"and {'is' if len(cohort.without_notebook) == 1 else 'are'} not shown: "
            f"{e(', '.join(cohort.without_notebook))}."
        )
    contents = "\n".join(
        f'<li><a href="#{_anchor(q)}">{e(q.title)}</a> '
        f"({_points(q.points)}): {_count(len(q.answers), 'answer')} "
        f"({sum(a.score is not None for a in q.answers)} scored), {q.empty} empty</li>"
        for q in cohort.questions
    )
    sections = "\n".join(_question_section(q, cohort) for q in cohort.questions)
    if not cohort.questions:
        sections = "<p>This chapter has no written questions.</p>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="page">
<h1>{e(title)}</h1>
<p class="meta">{meta}</p>
{"".join(f'<p class="note">{n}</p>' for n in notes)}
</header>
<nav aria-label="Questions">
<h2>Questions</h2>
<ol>
{contents}
</ol>
</nav>
<main>
{sections}
</main>
</body>
</html>
"""


def _question_section(question: Question, cohort: CohortAnswers) -> str:
    e = html.escape
    model = (
        '<details class="model"><summary>Model answer</summary>'
        f"{render_markdown(question.model_answer)}</details>"
        if question.model_answer
        else '<p class="note">The source gives no model answer.</p>'
    )
    rubric = (
        f'<div class="rubric">{render_markdown(question.rubric)}</div>'
        if question.rubric
        else '<p class="note">The source gives no rubric.</p>'
    )
    answers = _answers_column(question)
    if question.predicts:
        measured = _measured_column(cohort.measured)
        body = f'<div class="columns beside">{answers}{measured}</div>'
    else:
        body = f'<div class="columns">{answers}</div>'
    return f"""<section class="question" id="{_anchor(question)}">
<h2>{e(question.title)}<span class="grade-id">{e(question.grade_id)} · \
{_points(question.points)}</span></h2>
<div class="prompt">{render_markdown(question.prompt)}</div>
{model}
{rubric}
{body}
</section>"""


def _answers_column(question: Question) -> str:
    heading = "Predictions" if question.predicts else "Answers"
    parts = [f'<div class="answers"><h3>{heading} ({len(question.answers)})</h3>']
    if question.empty:
        who = _count(question.empty, "student")
        parts.append(f'<p class="count">{who} left this empty.</p>')
    parts += [_answer(a) for a in question.answers]
    parts.append("</div>")
    return "\n".join(parts)


def _answer(answer: Answer) -> str:
    if answer.score is None:
        score = '<span class="score unscored">not scored yet</span>'
    else:
        score = f'<span class="score">{answer.score:g} / {answer.points:g}</span>'
    return (
        f'<article class="answer"><header><span class="who">{html.escape(answer.student)}'
        f"</span>{score}</header>{render_markdown(answer.text)}</article>"
    )


def _measured_column(slots: tuple[TableSlot, ...]) -> str:
    parts = ['<aside class="measured"><h3>What the experiment measured</h3>']
    if not slots:
        parts.append('<p class="note">No run printed a results table.</p>')
    for slot in slots:
        parts.append(f'<section class="slot"><h4>{html.escape(slot.name)}</h4>')
        runs = sum(len(m.students) for m in slot.measurements)
        most_common = slot.measurements[0].table
        for measurement in slot.measurements:
            n = len(measurement.students)
            share = f"All {_count(n, 'run')}" if n == runs else f"{n} of {runs} runs"
            names = html.escape(", ".join(measurement.students))
            parts.append(
                f"<figure><figcaption>{share}: {names}</figcaption>"
                f"{_table(measurement.table, most_common)}</figure>"
            )
        if slot.missing:
            names = html.escape(", ".join(slot.missing))
            parts.append(f'<p class="missing">Not printed by the run of: {names}.</p>')
        parts.append("</section>")
    parts.append("</aside>")
    return "\n".join(parts)


def _table(table: MeasuredTable, most_common: MeasuredTable) -> str:
    """The table as HTML; where it has the shape of ``most_common`` but another value, the
    cell is marked (class ``differs``)."""
    e = html.escape
    comparable = table.columns == most_common.columns and len(table.rows) == len(most_common.rows)

    def cls(j: int, i: int | None = None) -> str:
        names = ["number"] if j < len(table.right_aligned) and table.right_aligned[j] else []
        if (
            i is not None
            and comparable
            and table.rows[i][j : j + 1] != most_common.rows[i][j : j + 1]
        ):
            names.append("differs")
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f"<th{cls(j)}>{e(c)}</th>" for j, c in enumerate(table.columns))
    body = "\n".join(
        "<tr>" + "".join(f"<td{cls(j, i)}>{e(v)}</td>" for j, v in enumerate(row)) + "</tr>"
        for i, row in enumerate(table.rows)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _anchor(question: Question) -> str:
    return "q-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in question.grade_id)


def _points(points: float) -> str:
    return f"{points:g} point{'' if points == 1 else 's'}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
