"""Scenario questions written as plain text, so that a principal can write and edit
them in one text box (and a screen-reader user in an ordinary field):

    Q: A student keeps using a phone during a test after two warnings.
    * A school matter: the teacher handles it
    - A matter for the officer
    Why: Phone use breaks a class rule, nothing more.

`Q:` starts a question, `*` marks the right choice, `-` another choice, `Why:` the
explanation. A line with none of these continues the line before it.
"""

from expectations.publishing.workflows import ScenarioData


class ScenarioTextError(ValueError):
    pass


def parse_scenarios(text: str) -> list[ScenarioData]:
    questions: list[dict] = []
    last: tuple[str, int | None] | None = None  # (part, choice index) a continuation extends
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line[:2].upper() == "Q:":
            questions.append({"situation": line[2:].strip(), "choices": [], "right": [], "why": ""})
            last = ("situation", None)
            continue
        if not questions:
            raise ScenarioTextError(f"Line {number}: start each question with “Q:”.")
        question = questions[-1]
        if line[0] in "*-":
            if line[0] == "*":
                question["right"].append(len(question["choices"]))
            question["choices"].append(line[1:].strip())
            last = ("choices", len(question["choices"]) - 1)
        elif line[:4].lower() == "why:":
            question["why"] = line[4:].strip()
            last = ("why", None)
        else:
            part, index = last
            if part == "choices":
                question["choices"][index] += " " + line
            else:
                question[part] += " " + line
    scenarios = []
    for n, q in enumerate(questions, start=1):
        if not q["situation"]:
            raise ScenarioTextError(f"Question {n} has no situation after “Q:”.")
        if len(q["choices"]) < 2:
            raise ScenarioTextError(f"Question {n} needs at least two choices.")
        if len(q["right"]) != 1:
            raise ScenarioTextError(f"Question {n} needs exactly one right choice, marked “*”.")
        if not q["why"]:
            raise ScenarioTextError(f"Question {n} needs an explanation after “Why:”.")
        scenarios.append(ScenarioData(q["situation"], tuple(q["choices"]), q["right"][0], q["why"]))
    return scenarios


def scenarios_as_text(scenarios) -> str:
    blocks = []
    for s in scenarios:
        lines = [f"Q: {s.situation}"]
        lines += [f"{'*' if i == s.correct_choice else '-'} {c}" for i, c in enumerate(s.choices)]
        lines.append(f"Why: {s.explanation}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
