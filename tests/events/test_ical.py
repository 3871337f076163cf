"""The iCalendar text we write ourselves (events/ical.py) reads back as we meant it."""

import icalendar

from events.ical import ical_component, ical_line, ical_param, ical_text


def test_long_lines_fold_at_75_octets_and_unfold_to_the_same_text():
    for value in ["a" * 200, "é" * 100, "Room 5; bring ID, please\\" * 9, "x^" * 80]:
        line = f"DESCRIPTION:{ical_text(value)}"
        folded = ical_line(line)
        assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
        assert folded.replace("\r\n ", "") == line


def test_text_and_parameters_read_back_unchanged():
    name = 'Jo "JJ" O\'Neil, Jr; ^'
    text = "Line one,\nline two; with a \\ backslash"
    event = ical_component(
        "VEVENT",
        [
            "UID:test@sro-portal",
            f"SUMMARY:{ical_text(text)}",
            f"ORGANIZER;CN={ical_param(name)}:mailto:jo@example.org",
        ],
    )
    calendar = icalendar.Calendar.from_ical(
        ical_component("VCALENDAR", ["VERSION:2.0", "PRODID:-//test//EN"], [event])
    )
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["summary"]) == text
    assert entry["organizer"].params["CN"] == name
