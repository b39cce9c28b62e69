"""The pages' message catalogue: Dutch (the default) and English, one dict per language.

Templates call ``t("key")`` (or ``t("key", n=3)`` for messages with fields). A key missing
from a language falls back to Dutch, and a key missing everywhere shows as itself, so a typo
is visible on the page instead of an empty string; ``tests/api/web`` checks that both
languages hold the same keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
LANG_COOKIE = "srmatch_lang"

NL: dict[str, str] = {
    "app.name": "srmatch",
    "app.tagline": "Social Return: kandidaten en vacatures bij elkaar brengen",
    "skip": "Naar de inhoud",
    "nav.label": "Hoofdmenu",
    "nav.caseload": "Mijn kandidaten",
    "nav.vacancies": "Vacatures",
    "nav.dashboard": "Dashboard",
    "nav.contracts": "Contracten",
    "nav.users": "Gebruikers",
    "nav.docs": "API-documentatie",
    "lang.switch": "Taal",
    "lang.nl": "Nederlands",
    "lang.en": "English",
    "logout": "Uitloggen",
    "logged_in_as": "Ingelogd als {name} ({role})",
    "role.coach": "jobcoach",
    "role.contractor": "opdrachtnemer",
    "role.sr_officer": "SR-adviseur",
    "role.admin": "beheerder",
    "login.title": "Inloggen",
    "login.intro": "Log in met de gebruikersnaam en het wachtwoord dat u van uw beheerder kreeg.",
    "login.username": "Gebruikersnaam",
    "login.password": "Wachtwoord",
    "login.submit": "Inloggen",
    "login.failed": "Gebruikersnaam of wachtwoord klopt niet.",
    "login.locked": "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
    "login.required": "Vul dit veld in.",
    "login.logged_out": "U bent uitgelogd.",
    "login.expired": "Uw sessie is verlopen. Log opnieuw in.",
    "errors.title": "Er ging iets mis",
    "errors.summary": "Controleer de gemarkeerde velden.",
    "errors.403": "U heeft geen toegang tot deze pagina.",
    "errors.404": "Deze pagina of dit gegeven bestaat niet, of is niet voor u zichtbaar.",
    "errors.csrf": (
        "Het formulier is verlopen of kwam niet van deze site. Laad de pagina opnieuw en "
        "probeer het nog eens."
    ),
    "errors.503": "De matching is nog niet klaar (het model wordt geladen). Probeer het zo weer.",
    "errors.home": "Naar uw startpagina",
    "pager.label": "Paginering",
    "pager.prev": "Vorige",
    "pager.next": "Volgende",
    "pager.showing": "{first}–{last} van {count}",
    "filter.apply": "Filteren",
    "filter.reset": "Filters wissen",
    "filter.any": "alle",
    "yes": "ja",
    "no": "nee",
    "caseload.title": "Kandidaten",
    "caseload.search": "Zoeken en filteren",
    "caseload.ref": "Referentie begint met",
    "caseload.benefit": "Uitkering",
    "caseload.consent": "Toestemming om gegevens te delen",
    "caseload.mine": "Alleen kandidaten die ik begeleid",
    "caseload.col.ref": "Referentie",
    "caseload.col.benefit": "Uitkering",
    "caseload.col.ladder": "Trede",
    "caseload.col.hours": "Uren per week",
    "caseload.col.skills": "Vaardigheden",
    "caseload.col.consent": "Toestemming",
    "caseload.col.coach": "Jobcoach",
    "caseload.empty": "Geen kandidaten gevonden met deze filters.",
    "caseload.empty_next": (
        "Wis de filters, of voeg kandidaten toe via een import (CSV of Excel) of de API."
    ),
    "caseload.count": "{count} kandidaten",
    "vacancies.title": "Open vacatures",
    "vacancies.col.ref": "Referentie",
    "vacancies.col.title": "Functie",
    "vacancies.col.hours": "Uren",
    "vacancies.col.place": "Postcode",
    "vacancies.col.shortlist": "Shortlist",
    "vacancies.open_shortlist": "Shortlist van {ref}",
    "vacancies.empty": "Er zijn geen open vacatures in uw gemeente.",
    "vacancies.empty_next": (
        "Vacatures komen binnen via opdrachtnemers of een import; kijk later opnieuw."
    ),
    "shortlist.title": "Shortlist: {title}",
    "shortlist.vacancy": "Vacature",
    "shortlist.model": "Model {version}",
    "shortlist.intro": (
        "De beste kandidaten van uw gemeente voor deze vacature. De score is een advies: u beslist."
    ),
    "shortlist.col.rank": "#",
    "shortlist.col.candidate": "Kandidaat",
    "shortlist.col.score": "Score",
    "shortlist.col.why": "Waarom",
    "shortlist.col.against": "Wat ontbreekt",
    "shortlist.col.distance": "Afstand",
    "shortlist.col.hours": "Uren (wil / vacature)",
    "shortlist.col.coach": "Begeleid door",
    "shortlist.col.consent": "Toestemming",
    "shortlist.score_label": "score {score} van 100",
    "shortlist.km": "{km} km",
    "shortlist.you": "u",
    "shortlist.nobody": "niemand",
    "shortlist.consent_yes": "gegeven",
    "shortlist.consent_no": "niet gegeven",
    "shortlist.none_missing": "niets",
    "shortlist.empty": "Geen kandidaten voldoen aan de harde eisen van deze vacature.",
    "shortlist.empty_next": "Bekijk wie is afgevallen en waarom.",
    "shortlist.show_excluded": "Toon wie is afgevallen en waarom",
    "shortlist.excluded_title": "Afgevallen kandidaten",
    "shortlist.excluded_none": "Niemand is afgevallen op een harde eis.",
    "shortlist.top": "Aantal kandidaten",
    "shortlist.back": "Terug naar de vacatures",
    "shortlist.required": "Vereiste vaardigheden",
    "shortlist.max": "wil max. {km} km",
    "shortlist.now": "direct",
    "shortlist.excluded_rules": "Niet door de harde eisen omdat",
    "shortlist.excluded_more": "En nog {n} anderen.",
    "dashboard.title": "Dashboard Social Return",
    "dashboard.as_of": "Stand op {day}",
    "dashboard.progress": "Gerealiseerd tegenover verplichting per contract",
    "dashboard.progress_desc": (
        "Per contract: de SR-verplichting en wat ervan gerealiseerd is, in euro."
    ),
    "dashboard.obligation": "verplichting",
    "dashboard.realised": "gerealiseerd",
    "dashboard.no_contracts": "Uw gemeente heeft nog geen contracten met een SR-verplichting.",
    "dashboard.no_contracts_next": "Leg contracten vast via de import of de API.",
    "dashboard.reach": "Bereik: geplaatst tegenover het kandidatenbestand",
    "dashboard.reach_desc": (
        "Per groep: welk deel van alle kandidaten in die groep valt, tegenover welk deel van "
        "de geplaatsten. Ligt de tweede balk lager, dan wordt de groep minder bereikt; zo wordt "
        "zichtbaar of vooral de makkelijkst plaatsbare mensen aan het werk komen."
    ),
    "dashboard.reach.ladder_step": "Per trede van de participatieladder",
    "dashboard.reach.benefit": "Per uitkering",
    "dashboard.reach.target_group": "Per doelgroep",
    "dashboard.reach.pool": "kandidaten",
    "dashboard.reach.placed": "geplaatst",
    "dashboard.reach.share": "aandeel geplaatst",
    "dashboard.reach.pool_share": "aandeel van alle kandidaten",
    "dashboard.reach.placed_share": "aandeel van de geplaatsten",
    "dashboard.no_reach": "Nog geen kandidaten in het bestand.",
    "dashboard.table": "Cijfers als tabel",
    "dashboard.col.contract": "Contract",
    "dashboard.col.contractor": "Opdrachtnemer",
    "dashboard.col.obligation": "Verplichting",
    "dashboard.col.realised": "Gerealiseerd",
    "dashboard.col.share": "Percentage",
    "dashboard.col.status": "Status",
    "dashboard.col.group": "Groep",
    "contracts.title": "Uw contracten",
    "contracts.empty": "Er zijn nog geen contracten van uw bedrijf vastgelegd.",
    "contracts.empty_next": "Neem contact op met de SR-adviseur van de gemeente.",
    "admin.title": "Beheer",
    "admin.users": "Gebruikers",
    "admin.col.username": "Gebruikersnaam",
    "admin.col.name": "Naam",
    "admin.col.role": "Rol",
    "admin.col.active": "Actief",
    "admin.empty": "Nog geen gebruikers.",
    "candidate.title": "Kandidaat {ref}",
    "candidate.profile": "Profiel",
    "candidate.read": "Zoals de matching het las",
    "candidate.read_desc": (
        "Vaardigheden en beroepen zoals de matching ze herkende, met hoe zeker dat is."
    ),
    "candidate.unknown": "Niet begrepen",
    "candidate.unknown_desc": (
        "Deze woorden vond de matching niet in de vaktaal; kies eventueel een suggestie."
    ),
    "candidate.unknown_none": "Alles is herkend.",
    "candidate.suggestions": "Suggesties",
    "candidate.no_suggestions": "geen suggesties",
    "candidate.implied": "afgeleid uit het beroep",
    "candidate.confidence": "zekerheid {pct}",
    "candidate.skills": "Vaardigheden",
    "candidate.occupations": "Beroepen",
    "candidate.none": "geen",
    "candidate.postcode": "Postcode",
    "candidate.benefit": "Uitkering",
    "candidate.target_groups": "Doelgroepen",
    "candidate.ladder": "Trede participatieladder",
    "candidate.education": "Opleiding",
    "candidate.dutch": "Nederlands",
    "candidate.licences": "Rijbewijzen",
    "candidate.hours": "Uren per week",
    "candidate.travel": "Maximale reisafstand",
    "candidate.available": "Beschikbaar vanaf",
    "candidate.consent": "Toestemming om gegevens te delen",
    "candidate.coach": "Jobcoach",
    "candidate.active": "Actief",
    "candidate.back": "Terug naar de kandidaten",
    "candidate.field": "Veld",
    "candidate.text": "Tekst",
}

EN: dict[str, str] = {
    "app.name": "srmatch",
    "app.tagline": "Social Return: bringing candidates and vacancies together",
    "skip": "Skip to content",
    "nav.label": "Main menu",
    "nav.caseload": "My candidates",
    "nav.vacancies": "Vacancies",
    "nav.dashboard": "Dashboard",
    "nav.contracts": "Contracts",
    "nav.users": "Users",
    "nav.docs": "API documentation",
    "lang.switch": "Language",
    "lang.nl": "Nederlands",
    "lang.en": "English",
    "logout": "Log out",
    "logged_in_as": "Logged in as {name} ({role})",
    "role.coach": "job coach",
    "role.contractor": "contractor",
    "role.sr_officer": "SR officer",
    "role.admin": "administrator",
    "login.title": "Log in",
    "login.intro": "Log in with the user name and password your administrator gave you.",
    "login.username": "User name",
    "login.password": "Password",
    "login.submit": "Log in",
    "login.failed": "Wrong user name or password.",
    "login.locked": "Too many failed attempts. Try again in {seconds} seconds.",
    "login.required": "Fill in this field.",
    "login.logged_out": "You have logged out.",
    "login.expired": "Your session has expired. Please log in again.",
    "errors.title": "Something went wrong",
    "errors.summary": "Please check the marked fields.",
    "errors.403": "You do not have access to this page.",
    "errors.404": "This page or record does not exist, or is not visible to you.",
    "errors.csrf": (
        "The form has expired or did not come from this site. Reload the page and try again."
    ),
    "errors.503": "Matching is not ready yet (the model is loading). Please try again shortly.",
    "errors.home": "Go to your start page",
    "pager.label": "Pagination",
    "pager.prev": "Previous",
    "pager.next": "Next",
    "pager.showing": "{first}–{last} of {count}",
    "filter.apply": "Filter",
    "filter.reset": "Clear filters",
    "filter.any": "any",
    "yes": "yes",
    "no": "no",
    "caseload.title": "Candidates",
    "caseload.search": "Search and filter",
    "caseload.ref": "Reference starts with",
    "caseload.benefit": "Benefit",
    "caseload.consent": "Consent to share data",
    "caseload.mine": "Only candidates I coach",
    "caseload.col.ref": "Reference",
    "caseload.col.benefit": "Benefit",
    "caseload.col.ladder": "Step",
    "caseload.col.hours": "Hours per week",
    "caseload.col.skills": "Skills",
    "caseload.col.consent": "Consent",
    "caseload.col.coach": "Job coach",
    "caseload.empty": "No candidates match these filters.",
    "caseload.empty_next": (
        "Clear the filters, or add candidates by an import (CSV or Excel) or the API."
    ),
    "caseload.count": "{count} candidates",
    "vacancies.title": "Open vacancies",
    "vacancies.col.ref": "Reference",
    "vacancies.col.title": "Job",
    "vacancies.col.hours": "Hours",
    "vacancies.col.place": "Postcode",
    "vacancies.col.shortlist": "Shortlist",
    "vacancies.open_shortlist": "Shortlist for {ref}",
    "vacancies.empty": "There are no open vacancies in your municipality.",
    "vacancies.empty_next": "Vacancies come in from contractors or an import; check back later.",
    "shortlist.title": "Shortlist: {title}",
    "shortlist.vacancy": "Vacancy",
    "shortlist.model": "Model {version}",
    "shortlist.intro": (
        "The best candidates of your municipality for this vacancy. The score is advice: "
        "you decide."
    ),
    "shortlist.col.rank": "#",
    "shortlist.col.candidate": "Candidate",
    "shortlist.col.score": "Score",
    "shortlist.col.why": "Why",
    "shortlist.col.against": "Missing",
    "shortlist.col.distance": "Distance",
    "shortlist.col.hours": "Hours (wants / vacancy)",
    "shortlist.col.coach": "Coached by",
    "shortlist.col.consent": "Consent",
    "shortlist.score_label": "score {score} out of 100",
    "shortlist.km": "{km} km",
    "shortlist.you": "you",
    "shortlist.nobody": "nobody",
    "shortlist.consent_yes": "given",
    "shortlist.consent_no": "not given",
    "shortlist.none_missing": "nothing",
    "shortlist.empty": "No candidate meets this vacancy's hard requirements.",
    "shortlist.empty_next": "See who was left out and why.",
    "shortlist.show_excluded": "Show who was left out and why",
    "shortlist.excluded_title": "Candidates left out",
    "shortlist.excluded_none": "Nobody was left out by a hard rule.",
    "shortlist.top": "Number of candidates",
    "shortlist.back": "Back to the vacancies",
    "shortlist.required": "Required skills",
    "shortlist.max": "travels up to {km} km",
    "shortlist.now": "now",
    "shortlist.excluded_rules": "Failed the hard requirements because",
    "shortlist.excluded_more": "And {n} more.",
    "dashboard.title": "Social Return dashboard",
    "dashboard.as_of": "As of {day}",
    "dashboard.progress": "Realised against obligation per contract",
    "dashboard.progress_desc": (
        "Per contract: the SR obligation and how much of it is realised, in euros."
    ),
    "dashboard.obligation": "obligation",
    "dashboard.realised": "realised",
    "dashboard.no_contracts": "Your municipality has no contracts with an SR obligation yet.",
    "dashboard.no_contracts_next": "Record contracts through the import or the API.",
    "dashboard.reach": "Reach: placed against the candidate pool",
    "dashboard.reach_desc": (
        "Per group: its share of all candidates against its share of those placed. A shorter "
        "second bar means the group is under-reached, so it shows when mostly the easiest to "
        "place get work."
    ),
    "dashboard.reach.ladder_step": "By participation ladder step",
    "dashboard.reach.benefit": "By benefit",
    "dashboard.reach.target_group": "By target group",
    "dashboard.reach.pool": "candidates",
    "dashboard.reach.placed": "placed",
    "dashboard.reach.share": "share placed",
    "dashboard.reach.pool_share": "share of all candidates",
    "dashboard.reach.placed_share": "share of those placed",
    "dashboard.no_reach": "No candidates in the pool yet.",
    "dashboard.table": "Figures as a table",
    "dashboard.col.contract": "Contract",
    "dashboard.col.contractor": "Contractor",
    "dashboard.col.obligation": "Obligation",
    "dashboard.col.realised": "Realised",
    "dashboard.col.share": "Share",
    "dashboard.col.status": "Status",
    "dashboard.col.group": "Group",
    "contracts.title": "Your contracts",
    "contracts.empty": "No contracts of your company have been recorded yet.",
    "contracts.empty_next": "Contact the municipality's SR officer.",
    "admin.title": "Administration",
    "admin.users": "Users",
    "admin.col.username": "User name",
    "admin.col.name": "Name",
    "admin.col.role": "Role",
    "admin.col.active": "Active",
    "admin.empty": "No users yet.",
    "candidate.title": "Candidate {ref}",
    "candidate.profile": "Profile",
    "candidate.read": "As matching read it",
    "candidate.read_desc": (
        "Skills and occupations as matching recognised them, with how sure it is."
    ),
    "candidate.unknown": "Not understood",
    "candidate.unknown_desc": (
        "Matching did not find these words in the taxonomy; a suggestion may fit."
    ),
    "candidate.unknown_none": "Everything was recognised.",
    "candidate.suggestions": "Suggestions",
    "candidate.no_suggestions": "no suggestions",
    "candidate.implied": "inferred from the occupation",
    "candidate.confidence": "confidence {pct}",
    "candidate.skills": "Skills",
    "candidate.occupations": "Occupations",
    "candidate.none": "none",
    "candidate.postcode": "Postcode",
    "candidate.benefit": "Benefit",
    "candidate.target_groups": "Target groups",
    "candidate.ladder": "Participation ladder step",
    "candidate.education": "Education",
    "candidate.dutch": "Dutch",
    "candidate.licences": "Driving licences",
    "candidate.hours": "Hours per week",
    "candidate.travel": "Maximum travel distance",
    "candidate.available": "Available from",
    "candidate.consent": "Consent to share data",
    "candidate.coach": "Job coach",
    "candidate.active": "Active",
    "candidate.back": "Back to the candidates",
    "candidate.field": "Field",
    "candidate.text": "Text",
}

CATALOGUE: dict[str, dict[str, str]] = {"nl": NL, "en": EN}


def pick_lang(value: str | None) -> str:
    """A supported language code; anything else falls back to Dutch.

    >>> pick_lang("en"), pick_lang("fr"), pick_lang(None)
    ('en', 'nl', 'nl')
    """
    return value if value in LANGS else DEFAULT_LANG  # type: ignore[return-value]


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **fields)`` for one language, falling back to Dutch, then to the key.

    >>> translator("en")("logged_in_as", name="Ann", role="coach")
    'Logged in as Ann (coach)'
    """
    messages = CATALOGUE[pick_lang(lang)]

    def t(key: str, **fields: Any) -> str:
        text = messages.get(key) or NL.get(key) or key
        return text.format(**fields) if fields else text

    return t
