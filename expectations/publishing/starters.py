"""Starter guidelines a principal can publish as they are or adapt.

Written for SRO Portal in our own words. They are a starting point for a school's
own conversation with its officer and its district's counsel, not legal advice:
the school-law and mental-health texts say so to their readers too.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from expectations.publishing.workflows import ScenarioData
from onboarding.schools.models import Role
from sro_portal.text import render_markdown

DISCIPLINE = "A school matter: the teacher or an administrator handles it"
OFFICER = "A matter for the officer: hand it over to the SRO"


@dataclass(frozen=True)
class StarterGuideline:
    key: str
    title: str
    summary: str
    target_roles: tuple[str, ...]
    body: str
    statements: tuple[str, ...]
    scenarios: tuple[ScenarioData, ...] = ()
    pass_mark: int = 100
    # Where the rules differ by state, the school writes its own; this is the prompt.
    state_rules: str = ""
    has_state_rules: bool = False
    # For each statement, the built-in agreement section it comes from ("" for none).
    statement_sections: tuple[str, ...] = ()

    @property
    def section_links(self) -> dict[str, str]:
        return {
            text: key
            for text, key in zip(self.statements, self.statement_sections, strict=True)
            if key
        }

    @property
    def body_html(self) -> SafeString:
        return render_markdown(self.body)

    def contents(self) -> dict:
        """What `guideline_publish` takes from the starter: its words and questions
        (the school chooses who, when and the pass mark)."""
        return {
            "title": self.title,
            "body": self.body,
            "statements": list(self.statements),
            "section_links": self.section_links,
            "scenarios": list(self.scenarios),
            "starter_key": self.key,
        }


WORKING_WITH_THE_SRO = StarterGuideline(
    key="working-with-the-sro",
    title="Working with our School Resource Officer",
    summary="Discipline versus law enforcement, never using the officer as a threat, "
    "and the hand-off rule.",
    target_roles=(Role.STAFF, Role.MENTAL_HEALTH),
    body="""\
Our School Resource Officer (SRO) is a sworn police officer assigned to our school
by the police agency. The officer is here to keep the school safe, to be a trusted
adult students can talk to, and to teach when we invite them. The officer is **not**
a member of our discipline team.

## Discipline belongs to the school

Breaking a school rule is a school matter. Late work, phones in class, dress code,
talking back, skipping class, a shove in the hallway that ends there: teachers and
administrators handle these with our own discipline plan, as we would if no officer
worked here. Asking the officer to step in turns a school consequence into a police
contact, which can follow a student for years.

A possible crime, or a threat to someone's safety, is different. Weapons, drugs for
sale, a serious assault, a threat to hurt others, an adult on campus who should not be
here: these go to an administrator and the officer at once.

## The officer is never a threat

Do not say "behave, or I'll call the officer" or point at the SRO to make a student
comply. Students who learn to fear the officer will not come to them when they need
help. Speak about the officer as a member of our community.

## The hand-off rule

When you refer a matter to the officer, tell an administrator too. Once the officer
has taken it over, the officer leads: do not question the student further, do not
search, and do not promise the student an outcome. Give the officer what you saw,
then go back to your class. If you are unsure whether something is a matter for the
officer, ask an administrator; do not wait until it grows.
""",
    statements=(
        "I will handle breaches of school rules through our own discipline plan, "
        "not by calling the SRO.",
        "I will never use the officer as a threat to make a student behave.",
        "I will bring possible crimes and threats to safety to an administrator and the "
        "officer straight away.",
        "Once the officer has taken over a matter, I will let the officer lead.",
    ),
    statement_sections=("discipline", "discipline", "referrals", "referrals"),
    scenarios=(
        ScenarioData(
            situation="A student keeps using a phone during a test after two warnings.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=0,
            explanation="Phone use breaks a class rule, nothing more. The teacher follows "
            "the discipline plan; the officer has no part in it.",
        ),
        ScenarioData(
            situation="A student tells you a classmate has a handgun in a backpack.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=1,
            explanation="A weapon is a threat to everyone's safety and a possible crime. "
            "Tell an administrator and the officer at once, and do not search the bag "
            "yourself.",
        ),
        ScenarioData(
            situation="Two students trade insults in the hallway; one pushes the other, "
            "and they separate on their own. Nobody is hurt.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=0,
            explanation="A minor scuffle that ends by itself is school discipline. An "
            "administrator follows up with both students and their families.",
        ),
        ScenarioData(
            situation="A student posts that they will \u201cshoot up the school on "
            "Friday\u201d, and other students screenshot it to you.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=1,
            explanation="A threat of violence goes to an administrator and the officer "
            "immediately, and into the school's threat-assessment process. Whether "
            "or not it was a joke is for them to find out.",
        ),
        ScenarioData(
            situation="A student refuses to take off a hood that breaks the dress code and "
            "argues loudly with you.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=0,
            explanation="Defiance over a dress-code rule is a school matter, however "
            "frustrating. Calling the officer would escalate it and teach the student "
            "to fear them.",
        ),
        ScenarioData(
            situation="An adult you do not recognise, without a visitor badge, is trying "
            "classroom doors during lessons.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=1,
            explanation="An unknown adult moving through the building is a safety "
            "matter. Alert the office and the officer, and keep your door closed.",
        ),
        ScenarioData(
            situation="A student has been selling pills in the bathroom, according to "
            "several students.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=1,
            explanation="Selling drugs is a possible crime and a danger to students. "
            "An administrator and the officer take it from here.",
        ),
        ScenarioData(
            situation="A student skips your class for the third time this month.",
            choices=(DISCIPLINE, OFFICER),
            correct_choice=0,
            explanation="Truancy from a class is handled by the school: attendance "
            "follow-up, a call home, a meeting with the counselor.",
        ),
    ),
)

SCHOOL_LAW_REFRESHER = StarterGuideline(
    key="school-law-refresher",
    title="School law refresher: searches and speech",
    summary="Reasonable suspicion for school officials, probable cause for police, and "
    "students' speech rights.",
    target_roles=(Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH),
    body="""\
This is a short reminder, not legal advice. Our district's counsel and policies have
the final word; ask an administrator when in doubt.

## Searches

School officials may search a student or their belongings when they have
**reasonable suspicion** that the search will turn up evidence that the student
broke the law or a school rule, and the search is not excessive for what they are
looking for. In our school, searches are done by administrators, not by classroom
teachers.

A police officer, including our SRO, generally needs **probable cause** (a higher
standard) or a warrant to search. The rules differ because the two have different
jobs. That is why staff must never ask the officer to search "for the school", and
the officer must never ask an administrator to search for them: either one blurs the
line and can put the officer, the school and the evidence in a bad position.

## Speech

Students keep their right to free expression at school. The school may limit speech
that would substantially disrupt the school or invade the rights of others, speech
that is lewd in a school setting, and speech in school-sponsored activities for
teaching reasons. Speech we simply dislike, including criticism of the school or of
the police, is protected. An opinion is not a threat; a true threat to hurt someone
is not protected and goes to an administrator and the officer.
""",
    statements=(
        "I will leave searches of students and their belongings to administrators.",
        "I will not ask the officer to search a student for the school.",
        "I will not punish a student for an opinion I dislike.",
        "I will report a true threat to an administrator and the officer straight away.",
    ),
    statement_sections=("searches", "searches", "", "referrals"),
    scenarios=(
        ScenarioData(
            situation="An administrator has reasonable suspicion that a student's bag holds "
            "a stolen calculator. Who should search it?",
            choices=(
                "The administrator, under the school's search policy",
                "The SRO, because searches are police work",
            ),
            correct_choice=0,
            explanation="A school search for evidence of a rule-breaking is for the "
            "school under reasonable suspicion. Asking the officer to do it would bring "
            "in the police standard and turn a school matter into a police one.",
        ),
        ScenarioData(
            situation="A student wears a T-shirt criticising the local police department.",
            choices=(
                "Protected speech: no discipline",
                "Disrespect: send the student to the office",
            ),
            correct_choice=0,
            explanation="Criticism of the police or of the school is protected as long "
            "as it does not substantially disrupt school.",
        ),
    ),
)

MENTAL_HEALTH_HOLDS = StarterGuideline(
    key="mental-health-holds",
    title="Mental-health holds and risk assessments",
    summary="For mental-health staff: who may act under this state's rules, and the "
    "officer's part.",
    target_roles=(Role.MENTAL_HEALTH,),
    body="""\
When a student may be a danger to themselves or others, mental-health staff lead the
school's response. The officer is trained to see situations through a police lens:
they can help keep everyone safe, but they do not replace a counselor, social worker
or psychologist, and they are not the person to run a suicide-risk or safety-risk
assessment.

## Our practice

- A suicide-risk or safety-risk assessment is done by qualified mental-health staff,
  following the district's protocol, and the family is contacted as the protocol says.
- The threat-assessment team (an administrator, mental-health staff, and the officer
  when there may be a crime or a weapon) decides on a threat together.
- The officer is called when there is an immediate danger, a weapon, or a situation
  staff cannot keep safe. The officer may then act under their own authority.
- An emergency mental-health hold (a temporary detention for evaluation) can only be
  started by the people this state's law allows. Know who they are before the day you
  need them; the rules for our state are below.
""",
    statements=(
        "I know who may start an emergency mental-health hold under our state's rules.",
        "I will run suicide-risk and safety-risk assessments under the district's "
        "protocol, not hand them to the officer.",
        "I will call the officer when there is an immediate danger, a weapon, or a "
        "situation we cannot keep safe.",
    ),
    statement_sections=("mental-health", "mental-health", "mental-health"),
    scenarios=(
        ScenarioData(
            situation="A student tells a counselor they have been thinking about ending "
            "their life but has no plan and is calm.",
            choices=(
                "Mental-health staff run a suicide-risk assessment under the protocol",
                "Call the officer to take the student to hospital",
            ),
            correct_choice=0,
            explanation="This is a mental-health matter first: a qualified staff member "
            "assesses the risk and contacts the family as the protocol says. The "
            "officer is called if there is an immediate danger.",
        ),
    ),
    has_state_rules=True,
    state_rules="""\
Write here, with your district's counsel, who may start an emergency mental-health
hold in your state (for example: a police officer, a physician, a licensed
mental-health professional), for how long, and where the student is taken. Add the
phone numbers of your county's crisis team.
""",
)

TALKING_POINTS = StarterGuideline(
    key="talking-points",
    title="Talking about our SRO: points for staff",
    summary="How to explain the officer's role to students and families.",
    target_roles=(Role.STAFF,),
    body="""\
Students and families will ask you about the officer. Some are glad the officer is
here; some are wary, often for reasons rooted in their own experience. Both
reactions deserve respect. These points help us all tell the same, honest story.

- The officer is here to help keep our school safe and to be one more caring adult
  in the building.
- The officer does not enforce school rules: teachers and administrators do.
- Students can talk to the officer about things that worry them; the officer will
  tell them honestly what they must pass on.
- The officer visits classes to introduce themselves and, when invited, to teach.
- Families with a concern about the officer can talk to the principal.
""",
    statements=(
        "I will describe the officer's role the way these points do.",
        "I will take families' concerns about the officer seriously and pass them to "
        "the principal.",
    ),
    statement_sections=("transparency", "complaints"),
)

STARTERS: dict[str, StarterGuideline] = {
    g.key: g
    for g in (WORKING_WITH_THE_SRO, SCHOOL_LAW_REFRESHER, MENTAL_HEALTH_HOLDS, TALKING_POINTS)
}
