"""The built-in role agreement: one section per topic a school and a police agency
should settle in writing before an officer starts. Written for SRO Portal.

Placeholders in double braces are filled when a principal starts an agreement:
{{ school }}, {{ district }}, {{ agency }}, {{ officer }}, {{ start_date }} and
{{ review_date }}. Unknown placeholders are left as they are, so a reader sees them.
"""

import re

PLACEHOLDERS = ("school", "district", "agency", "officer", "start_date", "review_date")

# (key, title, body in Markdown)
SECTIONS: list[tuple[str, str, str]] = [
    (
        "purpose",
        "Purpose and goals",
        """This agreement sets out how {{ school }} and {{ agency }} work together when a School Resource Officer (SRO) is assigned to the school.

Our shared goals are:

- a safe school where students and adults trust one another;
- an officer who is known to students as a person, not only as a uniform;
- a clear line between school discipline, which belongs to educators, and law enforcement, which belongs to the officer;
- fewer students drawn into the justice system for behaviour the school can handle.""",
    ),
    (
        "parties-scope",
        "Parties, definitions and scope",
        """The parties are {{ district }} (acting for {{ school }}) and {{ agency }}. The officer assigned is {{ officer }}.

In this agreement:

- **School Resource Officer (SRO)** means a sworn officer of {{ agency }} assigned to the school for a regular part of the week.
- **School administrator** means the principal or an assistant principal.
- **School discipline** means any response to a breach of the school's code of conduct.
- **Staff** means every adult employed by the school or district.

The agreement covers the officer's work on school grounds, on school transport and at school-sponsored events.""",
    ),
    (
        "roles",
        "Roles and responsibilities",
        """The SRO serves in three roles, and spends real time on each of them.

1. **Law enforcement officer.** The officer responds to crimes and to threats to safety, as any officer would, within the limits this agreement sets.
2. **Informal mentor.** The officer builds relationships: greeting students at the door, eating lunch with them, showing up at games and events, and being someone a student can approach.
3. **Educator.** The officer teaches when invited by a teacher: law-related topics, online safety, traffic and bicycle safety, careers in public service.

The school gives the officer a real place in school life. The agency gives the officer the time to do more than respond to calls.""",
    ),
    (
        "discipline",
        "No role in school discipline",
        """The officer does not enforce the school's code of conduct. Tardiness, dress code, disrespect, classroom disruption, phones, minor fights without injury and similar matters are handled by teachers and administrators.

Staff do not ask the officer to discipline a student, to be present as a threat ("if you don't stop, the officer will come"), or to remove a student from class for a discipline matter. The officer declines such requests and refers them back to an administrator.""",
    ),
    (
        "referrals",
        "When and how staff refer a matter to the SRO",
        """Staff bring a matter to the officer only when it may be a crime or an immediate danger: a weapon, a serious assault, drugs offered for sale, a credible threat, abuse that must be reported.

A staff member who is unsure asks an administrator first. Referrals go to the officer in person or by phone, never by leaving a student alone with a note.

**Hand-off rule.** Once a matter has been handed to the officer, the officer leads it. Staff do not keep questioning the student or searching on the officer's behalf, and the officer keeps the administrator informed.""",
    ),
    (
        "arrests",
        "Arrests and citations on campus",
        """Arrest on campus is a last resort. Before an arrest or citation for a non-violent matter, the officer considers warnings, referral to the school, restorative options and community diversion programs.

When an arrest is needed, the officer informs an administrator beforehand if safety allows, carries it out as discreetly as possible, away from other students, and the school contacts the family the same day.""",
    ),
    (
        "searches",
        "Searches",
        """School officials may search a student or the student's belongings when they have reasonable suspicion that a school rule or the law has been broken. The officer, as police, generally needs probable cause or a warrant, or a recognised exception.

The officer does not direct school officials to search on the officer's behalf, and school officials do not search at the officer's request to avoid the stricter standard. Each search is recorded by the person who made it.""",
    ),
    (
        "questioning",
        "Questioning of students and notice to parents",
        """The officer questions a student about a possible crime only in line with state law and agency policy, with an administrator told beforehand.

Unless there is an emergency or a legal reason not to, the school tries to reach a parent or guardian before a student is questioned as a suspect, and the student is told they may ask for their parent. Younger students are never questioned as suspects without a parent or guardian being contacted first.""",
    ),
    (
        "use-of-force",
        "Use of force and restraints",
        """The officer follows the agency's use-of-force policy and uses the least force needed. Handcuffs, chemical spray, electronic control devices and other restraints are not used to manage behaviour that is a discipline matter.

Any use of force or restraint on campus is reported to the principal the same day and to the agency supervisor, and the family is told.""",
    ),
    (
        "information",
        "Information sharing and student privacy",
        """The school shares student records with the officer only as the federal and state student-privacy laws allow, and only what the officer needs for a specific safety purpose.

The officer does not keep school records in police files unless the law requires it. Information the officer learns as a mentor is not used for enforcement except where safety or the law demands it. SRO Portal itself stores no student records.""",
    ),
    (
        "mental-health",
        "Mental-health holds, risk assessments and the threat-assessment team",
        """Suicide-risk and safety-risk assessments are led by the school's mental-health staff (counselors, social workers, psychologists), not by the officer.

An emergency mental-health hold is used only when a student is in immediate danger and only by those the state's rules allow to act. The officer supports mental-health staff, for example by ensuring safety during a crisis or a transport.

The officer serves on the school's threat-assessment team as one member, alongside an administrator and mental-health staff.""",
    ),
    (
        "equipment",
        "Uniform, weapons and equipment",
        """The officer wears the agency's uniform, or a modified uniform both parties agree on, so that students can recognise them. The officer carries the equipment agency policy requires and secures it at all times.

Any body-worn camera use on campus follows agency policy and respects the privacy of students in restrooms, locker rooms and health offices.""",
    ),
    (
        "training",
        "Selection, training and joint training",
        """{{ agency }} selects officers who want to work with young people, and the principal takes part in the interview. Before starting, and each year after, the officer is trained in adolescent development, de-escalation, implicit bias, working with students with disabilities, trauma and mental health, and the law on schools and students.

School staff and the officer train together at least once a year on this agreement, the referral and hand-off rule, and emergency plans.""",
    ),
    (
        "supervision",
        "Supervision and chain of command",
        """The officer remains an employee of {{ agency }} and reports to the agency's SRO supervisor. Day to day, the officer coordinates with the principal.

If the principal and the officer disagree, they take it to the SRO supervisor and the district. The principal may ask the agency to reassign an officer, and the agency answers in writing.""",
    ),
    (
        "schedule",
        "Schedule, workspace and duties at events",
        """The officer's schedule at {{ school }} is agreed with the principal each term and shared with staff. An officer serving several schools shares a single schedule across them.

The school provides a private workspace with a phone and a lockable cabinet. Duties at evening and weekend events are agreed in advance.""",
    ),
    (
        "data",
        "Data collection and reporting",
        """Each term, the agency reports to the school the number of arrests, citations, uses of force and referrals to the justice system arising on campus, broken down by grade, sex, race and disability status, without naming any student.

The officer also records community work: class introductions, talks given, events attended and mentoring time, so the balance of the role can be seen.""",
    ),
    (
        "evaluation",
        "Evaluation and annual review",
        """The principal, the officer and the SRO supervisor meet each year, before {{ review_date }}, to review this agreement, the data above, and feedback from staff, students and families.

The officer's evaluation by the agency includes the principal's written input.""",
    ),
    (
        "complaints",
        "Complaints and disputes",
        """Anyone, including a student or family, may complain about the officer's conduct to the school or to {{ agency }}. The school passes complaints to the agency, which investigates under its policy and tells the school the outcome as far as the law allows.

Disputes between the parties about this agreement go first to the principal and the SRO supervisor, then to the district and the head of the agency.""",
    ),
    (
        "transparency",
        "Transparency and notice to families",
        """This agreement is shared with every staff member and published for families. At the start of each year, families are told that an SRO serves the school, what the officer does and does not do, and how to raise a concern.""",
    ),
    (
        "emergencies",
        "Emergency planning",
        """The officer helps the school plan and practise for emergencies (lockdowns, evacuations, severe weather) and is the agency's link during an incident. The school's emergency plan names who leads which decisions.""",
    ),
    (
        "term",
        "Term, amendment, termination and signatures",
        """This agreement starts on {{ start_date }} and runs until it is replaced by an amendment or ended. It is reviewed each year.

Any change is made by a written amendment signed by the same parties; until an amendment is fully signed, this agreement stays in force. Either party may end the agreement with sixty days' written notice.

The parties sign below. Each signature covers the exact text of this version.""",
    ),
]

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {{ name }} with its value; leave unknown names visible."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
