"""The pages' message catalogue: Dutch (the default) and English, one dict per language.

Templates call ``t("key")`` (or ``t("key", n=3)`` for messages with fields). A key missing
from a language falls back to Dutch, and a key missing everywhere shows as itself, so a typo
is visible on the page instead of an empty string; ``tests/api/web`` checks that both
languages hold the same keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.web.i18n_portal import PORTAL_EN, PORTAL_NL

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
    "shortlist.model": "Model: {version}",
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
    "shortlist.propose": "{ref} voorstellen",
    "shortlist.not_yours": "Alleen de jobcoach die deze kandidaat begeleidt kan voorstellen.",
    "shortlist.proposed": "{ref} is voorgesteld voor deze vacature.",
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
    "dashboard.col.forecast": "Verwacht",
    "dashboard.col.group": "Groep",
    "status.met": "gehaald",
    "status.on_track": "op koers",
    "status.behind": "achter",
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
    "candidate.privacy": "Privacy en rechten",
    "privacy.title": "Privacy en rechten: {ref}",
    "privacy.back": "Terug naar {ref}",
    "privacy.intro": (
        "Wat deze persoon mag vragen (AVG): inzage in alles wat srmatch over hem of haar bewaart, "
        "een uitleg bij een vacature, en verwijdering."
    ),
    "privacy.access": "Inzage",
    "privacy.access_desc": (
        "Alles wat srmatch bewaart: het profiel, voorstellen en hun verloop, plaatsingen, de "
        "shortlists waarop de persoon stond en wie de gegevens bekeek."
    ),
    "privacy.overview": "Overzicht om te printen",
    "privacy.download_json": "Download als JSON",
    "privacy.explain": "Uitleg bij een vacature",
    "privacy.explain_desc": (
        "Een uitleg in gewone taal: waarom de persoon wel of niet op de shortlist stond en wat "
        "daar verandering in zou brengen."
    ),
    "privacy.vacancy": "Vacature",
    "privacy.explain_button": "Toon de uitleg",
    "privacy.no_vacancies": "Er zijn geen open vacatures om uit te leggen.",
    "privacy.erase": "Gegevens verwijderen",
    "privacy.erase_desc": (
        "Verwijdert alle persoonsgegevens. Dit kan niet ongedaan worden gemaakt. De SR-cijfers "
        "blijven kloppen: plaatsingen blijven staan onder een pseudoniem, met alleen uitkering, "
        "doelgroep en trede."
    ),
    "privacy.confirm_label": "Typ de referentie {ref} om te bevestigen",
    "privacy.confirm_mismatch": "De referentie klopt niet; er is niets verwijderd.",
    "privacy.erase_button": "Definitief verwijderen",
    "privacy.already_erased": "De persoonsgegevens zijn verwijderd op {date}.",
    "explain.title": "Uitleg bij uw kansen op deze vacature",
    "explain.print": "Printen",
    "explain.about": "Vacature: {vacancy}. Stand op {date}.",
    "explain.outcome": "Wat kwam eruit",
    "explain.shortlisted": (
        "U stond op plaats {rank} van de {top} kandidaten die de jobcoach als eerste te zien kreeg."
    ),
    "explain.not_top": (
        "U voldeed aan de voorwaarden, maar stond niet bij de eerste {top} kandidaten."
    ),
    "explain.not_eligible": (
        "U kwam niet op de shortlist, omdat niet aan een harde voorwaarde van de vacature werd "
        "voldaan."
    ),
    "explain.for": "Wat in uw voordeel telde",
    "explain.against": "Wat minder goed paste",
    "explain.rules": "Welke voorwaarde niet werd gehaald",
    "explain.change": "Wat verschil zou maken",
    "explain.nothing_to_change": "Er is niets dat u zelf hoeft te veranderen.",
    "explain.who_decides": "Wie beslist",
    "explain.person_decides": (
        "Het systeem maakt alleen een voorstel. Uw jobcoach beslist of u wordt voorgedragen, en de "
        "werkgever beslist over een baan. U kunt uw jobcoach altijd vragen om uitleg of om een "
        "andere keuze."
    ),
    "explain.not_used": (
        "Leeftijd, geslacht, nationaliteit en afkomst worden nooit gebruikt om kandidaten te "
        "rangschikken."
    ),
    "overview.title": "Overzicht van uw gegevens in srmatch",
    "overview.generated": "Gemaakt op {date}",
    "overview.profile": "Profiel",
    "overview.referrals": "Voorstellen",
    "overview.placements": "Plaatsingen",
    "overview.shortlists": "Shortlists",
    "overview.shortlists_desc": (
        "Elke keer dat u op een shortlist stond: wanneer, voor welke vacature, op welke plaats, "
        "met welke score en welk model."
    ),
    "overview.accesses": "Wie uw gegevens bekeek",
    "overview.accesses_desc": "Elke keer dat iemand uw gegevens las of wijzigde.",
    "overview.vacancy": "Vacature",
    "overview.status": "Stand",
    "overview.history": "Verloop",
    "overview.start": "Begin",
    "overview.end": "Einde",
    "overview.hours": "Uren per week",
    "overview.when": "Wanneer",
    "overview.rank": "Plaats",
    "overview.score": "Score",
    "overview.model": "Model",
    "overview.who": "Wie",
    "overview.role": "Rol",
    "overview.what": "Wat",
    "overview.none": "Niets.",
    "candidate.field": "Veld",
    "candidate.text": "Tekst",
    "contracts.contractor": "Opdrachtnemer",
    "contracts.period": "Looptijd",
    "contracts.no_obligation": "geen verplichting",
    "nav.import": "Importeren",
    "nav.audit": "Audittrail",
    "import.title": "Bestand importeren",
    "import.intro": (
        "Lees kandidaten, contracten, vacatures, uitkomsten of plaatsingen in uit een CSV- of "
        "Excelbestand in het afgesproken formaat. Een bestand met fouten wordt niet ingelezen: "
        "u ziet per rij wat er mis is."
    ),
    "import.upload": "Bestand kiezen",
    "import.kind": "Soort gegevens",
    "import.kind.candidates": "Kandidaten",
    "import.kind.contracts": "Contracten",
    "import.kind.vacancies": "Vacatures",
    "import.kind.outcomes": "Uitkomsten",
    "import.kind.placements": "Plaatsingen",
    "import.file": "Bestand (CSV of XLSX)",
    "import.file_hint": (
        "De kolommen staan in het gegevenscontract; onbekende kolommen worden genegeerd."
    ),
    "import.partial": "Goede rijen toch inlezen",
    "import.partial_hint": "Zonder dit vinkje wordt niets ingelezen zolang één rij fout is.",
    "import.submit": "Importeren",
    "import.no_file": "Kies een bestand om te importeren.",
    "import.too_big": "Het bestand is groter dan {mb} MB.",
    "import.done": "{file} is ingelezen",
    "import.rejected": "{file} is niet ingelezen: {n} fout(en)",
    "import.rejected_next": (
        "Er is niets opgeslagen. Verbeter de rijen hieronder en upload het bestand opnieuw, of "
        "kies 'Goede rijen toch inlezen'."
    ),
    "import.counts": (
        "{rows} rijen: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd, "
        "{skipped} overgeslagen."
    ),
    "import.row_errors": "Fouten per rij",
    "import.col.row": "Rij",
    "import.col.column": "Kolom",
    "import.col.value": "Waarde",
    "import.col.reason": "Wat er mis is",
    "import._form": "Formulier",
    "import.problems": "Wat er mis is, per probleem",
    "import.rows_capped": "De eerste {shown} van {total} fouten staan hieronder per rij.",
    "import.download": "Gegevens downloaden",
    "import.download_intro": (
        "Voor Nederlandse Excel: puntkomma's, decimale komma's en datums als dd-mm-jjjj. Het "
        "bestand kan zo weer worden ingelezen."
    ),
    "import.download_csv": "{kind} (CSV)",
    "import.download_xlsx": "{kind} (Excel)",
    "sr_contracts.title": "Contracten",
    "sr_contracts.contractor": "Opdrachtnemer",
    "sr_contracts.period": "Looptijd",
    "sr_contracts.no_obligation": "geen verplichting",
    "sr_contracts.empty": "Geen contracten gevonden.",
    "sr_contracts.empty_next": "Wis de filters, of importeer contracten via Importeren.",
    "contract.title": "Contract {ref}",
    "contract.back": "Terug naar de contracten",
    "contract.facts": "Stand van zaken",
    "contract.value": "Contractwaarde",
    "contract.sr_table": "SR-tabel",
    "contract.basis": "Grondslag van de verplichting",
    "contract.shortfall": "Tekort",
    "contract.penalty": "Boete bij dit tekort",
    "contract.placements": "Plaatsingen",
    "contract.placements_n": "{credited} meegeteld, {not_credited} niet meegeteld",
    "contract.downloads": "Downloads",
    "contract.downloads_desc": "Het SR-rapport met elke meegetelde euro, als CSV of Excel.",
    "contract.download_csv": "Download CSV",
    "contract.download_xlsx": "Download Excel (XLSX)",
    "contract.trace": "Verantwoording",
    "contract.trace_desc": "Elke regel is een meegeteld bedrag en hoe het berekend is.",
    "contract.trace_empty": "Nog niets meegeteld voor dit contract.",
    "contract.trace_empty_next": (
        "Plaatsingen op vacatures van dit contract verschijnen hier zodra ze zijn vastgelegd."
    ),
    "contract.trace_more": "De eerste 100 van {n} regels; de download bevat ze allemaal.",
    "contract.col.source": "Bron",
    "contract.col.candidate": "Kandidaat",
    "contract.col.block": "Blok",
    "contract.col.rate": "Tarief per jaar",
    "contract.col.hours": "Uren per week",
    "contract.col.period": "Periode",
    "contract.col.realised": "Soort",
    "contract.col.amount": "Bedrag",
    "contract.days": "dagen",
    "contract.realised": "gerealiseerd",
    "contract.forecast": "prognose",
    "contract.source.placement": "plaatsing",
    "contract.source.social_purchasing": "social inkoop",
    "contract.source.volunteer": "vrijwilligerswerk",
    "contract.source.pso": "PSO-certificaat",
    "audit.title": "Audittrail",
    "audit.intro": (
        "Wie wanneer persoonsgegevens van kandidaten van uw gemeente inzag of wijzigde, "
        "nieuwste eerst."
    ),
    "audit.action": "Handeling",
    "audit.action_hint": "Bijvoorbeeld candidate.read",
    "audit.candidate": "Kandidaatnummer",
    "audit.user": "Gebruikersnummer",
    "audit.since": "Vanaf",
    "audit.until": "Tot en met",
    "audit.bad_date": "Geef een datum als JJJJ-MM-DD.",
    "audit.empty": "Geen gebeurtenissen met deze filters.",
    "audit.empty_next": "Wis de filters of kies een langere periode.",
    "audit.col.at": "Tijdstip (UTC)",
    "audit.col.who": "Wie",
    "audit.col.action": "Handeling",
    "audit.col.candidate": "Kandidaat",
    "audit.col.object": "Object",
    "audit.col.detail": "Details",
    "nav.api_keys": "API-sleutels",
    "nav.training": "Trainingsrondes",
    "admin.new_user": "Nieuwe gebruiker",
    "admin.new_user_intro": (
        "De gebruiker krijgt een eenmalig wachtwoord, dat u na het aanmaken één keer ziet. Geef"
        " het veilig door."
    ),
    "admin.back": "Terug naar de gebruikers",
    "admin.field.username": "Gebruikersnaam",
    "admin.field.full_name": "Naam",
    "admin.field.role": "Rol",
    "admin.field.municipality_id": "Gemeente",
    "admin.field.contractor_id": "Opdrachtnemer",
    "admin.field.password": "Wachtwoord",
    "admin.field._form": "Formulier",
    "admin.municipality_hint": "Voor een jobcoach of SR-adviseur.",
    "admin.contractor_hint": "Voor een gebruiker van een opdrachtnemer.",
    "admin.none": "(geen)",
    "admin.create_user": "Gebruiker aanmaken",
    "admin.username_taken": "Deze gebruikersnaam bestaat al; kies een andere.",
    "admin.user_title": "Gebruiker {name}",
    "admin.user_created": "Gebruiker {name} is aangemaakt.",
    "admin.password_once": "Eenmalig wachtwoord",
    "admin.password_once_desc": (
        "U ziet dit wachtwoord alleen nu. Geef het veilig door; na het verlaten van deze pagina"
        " is het niet meer op te vragen."
    ),
    "admin.deactivated": "De gebruiker is gedeactiveerd en kan niet meer inloggen.",
    "admin.activated": "De gebruiker is weer actief.",
    "admin.actions": "Acties",
    "admin.deactivate": "Deactiveren",
    "admin.activate": "Activeren",
    "admin.reset_password": "Nieuw wachtwoord instellen",
    "keys.title": "API-sleutels",
    "keys.intro": (
        "Sleutels waarmee de systemen van opdrachtnemers de API gebruiken. Alleen het begin van"
        " elke sleutel wordt bewaard."
    ),
    "keys.new": "Nieuwe sleutel",
    "keys.field.user_id": "Gebruiker (opdrachtnemer)",
    "keys.field.name": "Naam van de sleutel",
    "keys.field.key_id": "Sleutel",
    "keys.field._form": "Formulier",
    "keys.choose_user": "Kies de gebruiker van de opdrachtnemer.",
    "keys.create": "Sleutel aanmaken",
    "keys.created": "Sleutel {name} is aangemaakt",
    "keys.once": (
        "U ziet deze sleutel alleen nu. Kopieer hem naar het systeem van de opdrachtnemer."
    ),
    "keys.revoked_done": "De sleutel is ingetrokken en werkt niet meer.",
    "keys.list": "Uitgegeven sleutels",
    "keys.col.prefix": "Begin",
    "keys.col.created": "Aangemaakt",
    "keys.col.last_used": "Laatst gebruikt",
    "keys.col.state": "Status",
    "keys.revoke": "Intrekken",
    "keys.revoke_named": "Sleutel {prefix} intrekken",
    "keys.revoked_on": "ingetrokken op {day}",
    "keys.empty": "Nog geen API-sleutels uitgegeven.",
    "keys.empty_next": "Maak hierboven een sleutel aan voor de gebruiker van een opdrachtnemer.",
    "keys.no_owners": "Er zijn geen actieve gebruikers van opdrachtnemers.",
    "keys.no_owners_next": "Maak eerst een gebruiker met de rol opdrachtnemer aan.",
    "training.title": "Trainingsrondes",
    "training.intro": (
        "Elke training van het rangschikmodel, nieuwste eerst, met de scores op de testset "
        "naast die van de basislijn (fuzzy vaardigheden zonder model)."
    ),
    "training.empty": "Het model is nog niet getraind.",
    "training.empty_next": (
        "Train het met 'srmatch train' of via de API (POST /api/v1/admin/model-versions) zodra "
        "er uitkomsten zijn vastgelegd."
    ),
    "training.col.version": "Versie",
    "training.col.when": "Getraind",
    "training.col.status": "Status",
    "training.col.pairs": "Paren (train / test)",
    "training.model_vs_baseline": "model / basislijn",
    "training.status.trained": "getraind",
    "training.status.rejected": "afgewezen",
    "training.status.failed": "mislukt",
    "training.accepted": "in gebruik",
    "nav.my_vacancies": "Vacatures",
    "nav.proposals": "Voorstellen",
    "vacancy.list_title": "Uw vacatures",
    "vacancy.new": "Nieuwe vacature",
    "vacancy.edit_title": "Vacature {ref}",
    "vacancy.back": "Terug naar de vacatures",
    "vacancy.saved": "De vacature is opgeslagen; jobcoaches zien haar in hun shortlists.",
    "vacancy.post": "Vacature plaatsen",
    "vacancy.save": "Wijzigingen opslaan",
    "vacancy.empty": "U heeft nog geen vacatures geplaatst.",
    "vacancy.empty_next": (
        "Plaats een SR-vacature met de knop hierboven; jobcoaches stellen er dan kandidaten "
        "voor voor."
    ),
    "vacancy.col.status": "Status",
    "vacancy.status.open": "open",
    "vacancy.status.closed": "gesloten",
    "vacancy.ref_hint": "Uw eigen kenmerk, uniek; later niet te wijzigen.",
    "vacancy.skills_hint": "Eén per regel, of gescheiden door komma's.",
    "vacancy.education_hint": "Bijvoorbeeld mbo2 of vmbo.",
    "vacancy.dutch_hint": "Bijvoorbeeld A2 of B1.",
    "vacancy.field.ref": "Kenmerk",
    "vacancy.field.title": "Functietitel",
    "vacancy.field.contract_id": "Contract",
    "vacancy.field.postcode": "Postcode werkplek",
    "vacancy.field.hours_per_week": "Uren per week",
    "vacancy.field.positions": "Aantal plaatsen",
    "vacancy.field.start_date": "Startdatum",
    "vacancy.field.required_skills": "Vereiste vaardigheden",
    "vacancy.field.optional_skills": "Gewenste vaardigheden",
    "vacancy.field.description": "Omschrijving",
    "vacancy.field.education_min": "Minimale opleiding",
    "vacancy.field.dutch_level_min": "Minimaal niveau Nederlands",
    "vacancy.field.driving_licence": "Rijbewijs",
    "vacancy.field.eligible_benefits": "Uitkeringen",
    "vacancy.field.eligible_target_groups": "Doelgroepen",
    "vacancy.err.number": "Geef een getal, bijvoorbeeld 32 of 24,5.",
    "vacancy.err.whole": "Geef een heel getal.",
    "vacancy.err.ref_taken": "Dit kenmerk bestaat al; kies een ander.",
    "vacancy.preview": "Zo leest srmatch de vacature",
    "vacancy.preview_wait": (
        "Vul een functietitel en een postcode in om te zien hoe de vacature gelezen wordt."
    ),
    "vacancy.preview_error": "Nog niet te lezen",
    "vacancy.preview_title": "Beroep",
    "vacancy.preview_no_title": "Het beroep is niet herkend; kies een gangbaardere titel.",
    "vacancy.preview_required": "Vereist",
    "vacancy.preview_optional": "Gewenst",
    "vacancy.preview_licences": "Rijbewijzen",
    "vacancy.preview_licence_field": "Rijbewijs {code} (uit het veld Rijbewijs)",
    "vacancy.preview_maybe": "bedoelt u",
    "proposals.title": "Voorgestelde kandidaten",
    "proposals.intro": (
        "Kandidaten die jobcoaches voor uw vacatures voorstelden. U ziet wie het is pas na een "
        "introductie met toestemming van de kandidaat."
    ),
    "proposals.empty": "Er zijn nog geen kandidaten voorgesteld.",
    "proposals.empty_next": (
        "Zodra een jobcoach iemand voorstelt voor een van uw open vacatures, staat die hier."
    ),
    "proposals.col.candidate": "Kandidaat",
    "proposals.col.vacancy": "Vacature",
    "proposals.col.status": "Stand",
    "proposals.col.distance": "Afstand",
    "proposals.col.sr": "Telt voor SR",
    "proposals.anonymous": "Anonieme kandidaat (voorstel {n})",
    "proposals.coach": "jobcoach: {name}",
    "proposals.col.actions": "Acties",
    "proposals.request_intro": "Vraag om introductie",
    "proposals.intro_requested": (
        "Introductie gevraagd: de jobcoach beslist, met toestemming van de kandidaat."
    ),
    "proposals.invite": "Uitnodigen voor gesprek",
    "proposals.reject": "Afwijzen",
    "proposals.reject_reason": "Reden van afwijzing",
    "proposals.reject_text": "Toelichting (optioneel)",
    "proposals.saved": "Uw reactie is vastgelegd; de jobcoach ziet haar bij het voorstel.",
    "proposals.intro_first": "Eerst een introductie: dan weet u wie u uitnodigt.",
    "consent.method.in_person": "persoonlijk",
    "consent.method.signed": "ondertekend",
    "consent.method.phone": "telefonisch",
    "reject.reason.skills_mismatch": "vaardigheden passen niet",
    "reject.reason.experience": "te weinig ervaring",
    "reject.reason.language": "taalniveau",
    "reject.reason.education": "opleiding sluit niet aan",
    "reject.reason.driving_licence": "rijbewijs ontbreekt",
    "reject.reason.hours": "uren passen niet",
    "reject.reason.distance": "reisafstand",
    "reject.reason.availability": "niet op tijd beschikbaar",
    "reject.reason.position_filled": "plaats al vervuld",
    "reject.reason.no_show": "niet verschenen",
    "reject.reason.other": "andere reden",
    "board.consent_how": "Hoe gaf de kandidaat toestemming voor de introductie?",
    "board.consent_state": "Toestemming: {method}, {day}",
    "board.no_consent": "Geen toestemming vastgelegd: de opdrachtnemer ziet de kandidaat anoniem.",
    "board.record_consent": "Toestemming vastleggen",
    "board.withdraw_consent": "Toestemming intrekken",
    "board.intro_requested": "De opdrachtnemer vraagt om een introductie.",
    "board.by_contractor": "Opdrachtnemer, {day}: {what}",
    "board.action.introduction_requested": "vraagt om introductie",
    "board.action.interviewed": "nodigt uit voor gesprek",
    "board.action.rejected": "wijst af",
    "board.action.hired": "neemt aan",
    "referral.status.proposed": "voorgesteld",
    "referral.status.introduced": "geïntroduceerd",
    "referral.status.interviewed": "gesprek gehad",
    "referral.status.hired": "aangenomen",
    "referral.status.rejected": "afgewezen",
    "referral.status.withdrawn": "teruggetrokken",
    "nav.referrals": "Voorstellen",
    "edit.title": "Kandidaat {ref} wijzigen",
    "edit.back": "Terug naar de kandidaat",
    "edit.saved": "Opgeslagen; de matching leest het profiel opnieuw.",
    "edit.unknown_desc": (
        "Deze woorden herkende de matching niet. Klik op een suggestie om het woord te vervangen."
    ),
    "edit.use_suggestion": "Vervang {text} door {label}",
    "edit.ladder_hint": "1 (geïsoleerd) tot 6 (betaald werk).",
    "edit.licences_hint": "Bijvoorbeeld B, C.",
    "edit.field.postcode": "Postcode",
    "edit.field.benefit": "Uitkering",
    "edit.field.ladder_step": "Trede participatieladder",
    "edit.field.skills": "Vaardigheden",
    "edit.field.occupations": "Beroepen",
    "edit.field.education": "Opleiding",
    "edit.field.dutch_level": "Niveau Nederlands",
    "edit.field.driving_licences": "Rijbewijzen",
    "edit.field.hours_per_week": "Uren per week",
    "edit.field.max_travel_km": "Maximale reisafstand (km)",
    "edit.field.available_from": "Beschikbaar vanaf",
    "edit.field.consent_share": "Toestemming om gegevens te delen met werkgevers",
    "edit.field.target_groups": "Doelgroepen",
    "edit.field.coach_id": "Jobcoach",
    "edit.field.field": "Veld",
    "edit.field._form": "Formulier",
    "edit.link": "Wijzigen",
    "board.title": "Voorstellen per fase",
    "board.intro": (
        "De voorstellen van kandidaten in uw gemeente. Kandidaten die u begeleidt kunt u naar "
        "de volgende fase zetten; alleen toegestane stappen staan als knop."
    ),
    "board.moved": "Het voorstel is verplaatst.",
    "board.empty": "Nog geen voorstellen.",
    "board.empty_next": "Open een shortlist bij een vacature en stel een kandidaat voor.",
    "board.column_empty": "Geen.",
    "board.since": "sinds {day}",
    "board.move_to": "Naar {status}",
    "board.reason": "reden",
    "board.reason_for": "Reden voor {status}",
    "board.not_yours": "Een collega begeleidt deze kandidaat.",
    "board.more": "en nog {n} meer",
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
    "shortlist.model": "Model: {version}",
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
    "shortlist.propose": "Propose {ref}",
    "shortlist.not_yours": "Only the job coach who holds this candidate can propose them.",
    "shortlist.proposed": "{ref} has been proposed for this vacancy.",
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
    "dashboard.col.forecast": "Forecast",
    "dashboard.col.group": "Group",
    "status.met": "met",
    "status.on_track": "on track",
    "status.behind": "behind",
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
    "candidate.privacy": "Privacy and rights",
    "privacy.title": "Privacy and rights: {ref}",
    "privacy.back": "Back to {ref}",
    "privacy.intro": (
        "What this person may ask for (GDPR): access to everything srmatch holds about them, an "
        "explanation for a vacancy, and erasure."
    ),
    "privacy.access": "Access",
    "privacy.access_desc": (
        "Everything srmatch holds: the profile, referrals and their history, placements, the "
        "shortlists the person was on and who looked at the data."
    ),
    "privacy.overview": "Printable overview",
    "privacy.download_json": "Download as JSON",
    "privacy.explain": "Explanation for a vacancy",
    "privacy.explain_desc": (
        "A plain-language explanation: why the person was or was not on the shortlist and what "
        "would change that."
    ),
    "privacy.vacancy": "Vacancy",
    "privacy.explain_button": "Show the explanation",
    "privacy.no_vacancies": "There are no open vacancies to explain.",
    "privacy.erase": "Erase the data",
    "privacy.erase_desc": (
        "Removes all personal data. This cannot be undone. SR figures stay right: placements stay "
        "under a pseudonym, with only benefit, target group and ladder step."
    ),
    "privacy.confirm_label": "Type the reference {ref} to confirm",
    "privacy.confirm_mismatch": "The reference does not match; nothing was erased.",
    "privacy.erase_button": "Erase for good",
    "privacy.already_erased": "The personal data were erased on {date}.",
    "explain.title": "An explanation of your chances for this vacancy",
    "explain.print": "Print",
    "explain.about": "Vacancy: {vacancy}. As of {date}.",
    "explain.outcome": "What came out",
    "explain.shortlisted": (
        "You were number {rank} of the {top} candidates the job coach saw first."
    ),
    "explain.not_top": "You met the conditions, but were not among the first {top} candidates.",
    "explain.not_eligible": (
        "You were not on the shortlist because a firm condition of the vacancy was not met."
    ),
    "explain.for": "What counted in your favour",
    "explain.against": "What fitted less well",
    "explain.rules": "Which condition was not met",
    "explain.change": "What would make a difference",
    "explain.nothing_to_change": "There is nothing you need to change yourself.",
    "explain.who_decides": "Who decides",
    "explain.person_decides": (
        "The system only makes a suggestion. Your job coach decides whether to propose you, and "
        "the employer decides about a job. You can always ask your job coach for an explanation or "
        "for a different choice."
    ),
    "explain.not_used": "Age, gender, nationality and origin are never used to rank candidates.",
    "overview.title": "Overview of your data in srmatch",
    "overview.generated": "Made on {date}",
    "overview.profile": "Profile",
    "overview.referrals": "Referrals",
    "overview.placements": "Placements",
    "overview.shortlists": "Shortlists",
    "overview.shortlists_desc": (
        "Every time you were on a shortlist: when, for which vacancy, at which place, with which "
        "score and which model."
    ),
    "overview.accesses": "Who looked at your data",
    "overview.accesses_desc": "Every time someone read or changed your data.",
    "overview.vacancy": "Vacancy",
    "overview.status": "Status",
    "overview.history": "History",
    "overview.start": "Start",
    "overview.end": "End",
    "overview.hours": "Hours a week",
    "overview.when": "When",
    "overview.rank": "Place",
    "overview.score": "Score",
    "overview.model": "Model",
    "overview.who": "Who",
    "overview.role": "Role",
    "overview.what": "What",
    "overview.none": "Nothing.",
    "candidate.field": "Field",
    "candidate.text": "Text",
    "contracts.contractor": "Contractor",
    "contracts.period": "Term",
    "contracts.no_obligation": "no obligation",
    "nav.import": "Import",
    "nav.audit": "Audit trail",
    "import.title": "Import a file",
    "import.intro": (
        "Read candidates, contracts, vacancies, outcomes or placements from a CSV or Excel file"
        " in the agreed format. A file with errors is not imported: you see per row what is "
        "wrong."
    ),
    "import.upload": "Choose a file",
    "import.kind": "Kind of data",
    "import.kind.candidates": "Candidates",
    "import.kind.contracts": "Contracts",
    "import.kind.vacancies": "Vacancies",
    "import.kind.outcomes": "Outcomes",
    "import.kind.placements": "Placements",
    "import.file": "File (CSV or XLSX)",
    "import.file_hint": "The columns are listed in the data contract; unknown columns are ignored.",
    "import.partial": "Import the valid rows anyway",
    "import.partial_hint": "Without this box nothing is imported while any row is invalid.",
    "import.submit": "Import",
    "import.no_file": "Choose a file to import.",
    "import.too_big": "The file is larger than {mb} MB.",
    "import.done": "{file} was imported",
    "import.rejected": "{file} was not imported: {n} error(s)",
    "import.rejected_next": (
        "Nothing was saved. Correct the rows below and upload the file again, or choose 'Import"
        " the valid rows anyway'."
    ),
    "import.counts": (
        "{rows} rows: {created} created, {updated} updated, {unchanged} unchanged, {skipped} "
        "skipped."
    ),
    "import.row_errors": "Errors per row",
    "import.col.row": "Row",
    "import.col.column": "Column",
    "import.col.value": "Value",
    "import.col.reason": "What is wrong",
    "import._form": "Form",
    "import.problems": "What is wrong, by problem",
    "import.rows_capped": "The first {shown} of {total} errors are listed below by row.",
    "import.download": "Download data",
    "import.download_intro": (
        "For Dutch Excel: semicolons, decimal commas and dates as dd-mm-yyyy. The file can be "
        "imported again as it is."
    ),
    "import.download_csv": "{kind} (CSV)",
    "import.download_xlsx": "{kind} (Excel)",
    "sr_contracts.title": "Contracts",
    "sr_contracts.contractor": "Contractor",
    "sr_contracts.period": "Term",
    "sr_contracts.no_obligation": "no obligation",
    "sr_contracts.empty": "No contracts found.",
    "sr_contracts.empty_next": "Clear the filters, or import contracts under Import.",
    "contract.title": "Contract {ref}",
    "contract.back": "Back to the contracts",
    "contract.facts": "Where it stands",
    "contract.value": "Contract value",
    "contract.sr_table": "SR table",
    "contract.basis": "Basis of the obligation",
    "contract.shortfall": "Shortfall",
    "contract.penalty": "Penalty for this shortfall",
    "contract.placements": "Placements",
    "contract.placements_n": "{credited} credited, {not_credited} not credited",
    "contract.downloads": "Downloads",
    "contract.downloads_desc": "The SR report with every credited euro, as CSV or Excel.",
    "contract.download_csv": "Download CSV",
    "contract.download_xlsx": "Download Excel (XLSX)",
    "contract.trace": "Trace",
    "contract.trace_desc": "Each line is a credited amount and how it was computed.",
    "contract.trace_empty": "Nothing credited to this contract yet.",
    "contract.trace_empty_next": (
        "Placements on this contract's vacancies appear here once recorded."
    ),
    "contract.trace_more": "The first 100 of {n} lines; the download holds them all.",
    "contract.col.source": "Source",
    "contract.col.candidate": "Candidate",
    "contract.col.block": "Block",
    "contract.col.rate": "Rate per year",
    "contract.col.hours": "Hours per week",
    "contract.col.period": "Period",
    "contract.col.realised": "Kind",
    "contract.col.amount": "Amount",
    "contract.days": "days",
    "contract.realised": "realised",
    "contract.forecast": "forecast",
    "contract.source.placement": "placement",
    "contract.source.social_purchasing": "social purchasing",
    "contract.source.volunteer": "volunteering",
    "contract.source.pso": "PSO certificate",
    "audit.title": "Audit trail",
    "audit.intro": (
        "Who viewed or changed your municipality's candidates' personal data and when, newest "
        "first."
    ),
    "audit.action": "Action",
    "audit.action_hint": "For example candidate.read",
    "audit.candidate": "Candidate number",
    "audit.user": "User number",
    "audit.since": "From",
    "audit.until": "Up to and including",
    "audit.bad_date": "Give a date as YYYY-MM-DD.",
    "audit.empty": "No events with these filters.",
    "audit.empty_next": "Clear the filters or choose a longer period.",
    "audit.col.at": "Time (UTC)",
    "audit.col.who": "Who",
    "audit.col.action": "Action",
    "audit.col.candidate": "Candidate",
    "audit.col.object": "Object",
    "audit.col.detail": "Details",
    "nav.api_keys": "API keys",
    "nav.training": "Training runs",
    "admin.new_user": "New user",
    "admin.new_user_intro": (
        "The user gets a one-time password, shown to you once after creating. Pass it on safely."
    ),
    "admin.back": "Back to the users",
    "admin.field.username": "User name",
    "admin.field.full_name": "Name",
    "admin.field.role": "Role",
    "admin.field.municipality_id": "Municipality",
    "admin.field.contractor_id": "Contractor",
    "admin.field.password": "Password",
    "admin.field._form": "Form",
    "admin.municipality_hint": "For a job coach or SR officer.",
    "admin.contractor_hint": "For a contractor's user.",
    "admin.none": "(none)",
    "admin.create_user": "Create user",
    "admin.username_taken": "This user name is taken; choose another.",
    "admin.user_title": "User {name}",
    "admin.user_created": "User {name} was created.",
    "admin.password_once": "One-time password",
    "admin.password_once_desc": (
        "You see this password only now. Pass it on safely; once you leave this page it cannot "
        "be shown again."
    ),
    "admin.deactivated": "The user was deactivated and can no longer log in.",
    "admin.activated": "The user is active again.",
    "admin.actions": "Actions",
    "admin.deactivate": "Deactivate",
    "admin.activate": "Activate",
    "admin.reset_password": "Reset password",
    "keys.title": "API keys",
    "keys.intro": (
        "Keys with which contractors' systems use the API. Only the start of each key is kept."
    ),
    "keys.new": "New key",
    "keys.field.user_id": "User (contractor)",
    "keys.field.name": "Key name",
    "keys.field.key_id": "Key",
    "keys.field._form": "Form",
    "keys.choose_user": "Choose the contractor's user.",
    "keys.create": "Create key",
    "keys.created": "Key {name} was created",
    "keys.once": "You see this key only now. Copy it into the contractor's system.",
    "keys.revoked_done": "The key was revoked and no longer works.",
    "keys.list": "Keys issued",
    "keys.col.prefix": "Prefix",
    "keys.col.created": "Created",
    "keys.col.last_used": "Last used",
    "keys.col.state": "State",
    "keys.revoke": "Revoke",
    "keys.revoke_named": "Revoke key {prefix}",
    "keys.revoked_on": "revoked on {day}",
    "keys.empty": "No API keys issued yet.",
    "keys.empty_next": "Create a key above for a contractor's user.",
    "keys.no_owners": "There are no active contractor users.",
    "keys.no_owners_next": "First create a user with the contractor role.",
    "training.title": "Training runs",
    "training.intro": (
        "Every training of the ranking model, newest first, with its test-set scores next to "
        "the baseline's (fuzzy skills without a model)."
    ),
    "training.empty": "The model has not been trained yet.",
    "training.empty_next": (
        "Train it with 'srmatch train' or through the API (POST "
        "/api/v1/admin/model-versions/train) once outcomes are recorded."
    ),
    "training.col.version": "Version",
    "training.col.when": "Trained",
    "training.col.status": "Status",
    "training.col.pairs": "Pairs (train / test)",
    "training.model_vs_baseline": "model / baseline",
    "training.status.trained": "trained",
    "training.status.rejected": "rejected",
    "training.status.failed": "failed",
    "training.accepted": "served",
    "nav.my_vacancies": "Vacancies",
    "nav.proposals": "Proposals",
    "vacancy.list_title": "Your vacancies",
    "vacancy.new": "New vacancy",
    "vacancy.edit_title": "Vacancy {ref}",
    "vacancy.back": "Back to the vacancies",
    "vacancy.saved": "The vacancy was saved; job coaches see it in their shortlists.",
    "vacancy.post": "Post vacancy",
    "vacancy.save": "Save changes",
    "vacancy.empty": "You have not posted any vacancies yet.",
    "vacancy.empty_next": (
        "Post an SR vacancy with the button above; job coaches then propose candidates for it."
    ),
    "vacancy.col.status": "Status",
    "vacancy.status.open": "open",
    "vacancy.status.closed": "closed",
    "vacancy.ref_hint": "Your own reference, unique; cannot be changed later.",
    "vacancy.skills_hint": "One per line, or separated by commas.",
    "vacancy.education_hint": "For example mbo2 or vmbo.",
    "vacancy.dutch_hint": "For example A2 or B1.",
    "vacancy.field.ref": "Reference",
    "vacancy.field.title": "Job title",
    "vacancy.field.contract_id": "Contract",
    "vacancy.field.postcode": "Workplace postcode",
    "vacancy.field.hours_per_week": "Hours per week",
    "vacancy.field.positions": "Positions",
    "vacancy.field.start_date": "Start date",
    "vacancy.field.required_skills": "Required skills",
    "vacancy.field.optional_skills": "Desirable skills",
    "vacancy.field.description": "Description",
    "vacancy.field.education_min": "Minimum education",
    "vacancy.field.dutch_level_min": "Minimum level of Dutch",
    "vacancy.field.driving_licence": "Driving licence",
    "vacancy.field.eligible_benefits": "Benefits",
    "vacancy.field.eligible_target_groups": "Target groups",
    "vacancy.err.number": "Give a number, for example 32 or 24.5.",
    "vacancy.err.whole": "Give a whole number.",
    "vacancy.err.ref_taken": "This reference exists; choose another.",
    "vacancy.preview": "How srmatch reads the vacancy",
    "vacancy.preview_wait": "Enter a job title and a postcode to see how the vacancy is read.",
    "vacancy.preview_error": "Not readable yet",
    "vacancy.preview_title": "Occupation",
    "vacancy.preview_no_title": "The occupation was not recognised; choose a more common title.",
    "vacancy.preview_required": "Required",
    "vacancy.preview_optional": "Desirable",
    "vacancy.preview_licences": "Driving licences",
    "vacancy.preview_licence_field": "Licence {code} (from the Driving licence field)",
    "vacancy.preview_maybe": "did you mean",
    "proposals.title": "Proposed candidates",
    "proposals.intro": (
        "Candidates job coaches proposed for your vacancies. You see who it is only after an "
        "introduction with the candidate's consent."
    ),
    "proposals.empty": "No candidates have been proposed yet.",
    "proposals.empty_next": (
        "Once a job coach proposes someone for one of your open vacancies, they appear here."
    ),
    "proposals.col.candidate": "Candidate",
    "proposals.col.vacancy": "Vacancy",
    "proposals.col.status": "Stage",
    "proposals.col.distance": "Distance",
    "proposals.col.sr": "Counts for SR",
    "proposals.anonymous": "Anonymous candidate (proposal {n})",
    "proposals.coach": "job coach: {name}",
    "proposals.col.actions": "Actions",
    "proposals.request_intro": "Ask for an introduction",
    "proposals.intro_requested": (
        "Introduction asked for: the job coach decides, with the candidate's consent."
    ),
    "proposals.invite": "Invite to an interview",
    "proposals.reject": "Reject",
    "proposals.reject_reason": "Reason for rejecting",
    "proposals.reject_text": "Explanation (optional)",
    "proposals.saved": "Your response is recorded; the job coach sees it on the referral.",
    "proposals.intro_first": "An introduction first: then you know whom you invite.",
    "consent.method.in_person": "in person",
    "consent.method.signed": "signed",
    "consent.method.phone": "by phone",
    "reject.reason.skills_mismatch": "skills do not fit",
    "reject.reason.experience": "too little experience",
    "reject.reason.language": "language level",
    "reject.reason.education": "education does not fit",
    "reject.reason.driving_licence": "no driving licence",
    "reject.reason.hours": "hours do not fit",
    "reject.reason.distance": "travel distance",
    "reject.reason.availability": "not available in time",
    "reject.reason.position_filled": "position already filled",
    "reject.reason.no_show": "did not show up",
    "reject.reason.other": "another reason",
    "board.consent_how": "How did the candidate consent to the introduction?",
    "board.consent_state": "Consent: {method}, {day}",
    "board.no_consent": "No consent recorded: the contractor sees the candidate anonymously.",
    "board.record_consent": "Record consent",
    "board.withdraw_consent": "Withdraw consent",
    "board.intro_requested": "The contractor asks for an introduction.",
    "board.by_contractor": "Contractor, {day}: {what}",
    "board.action.introduction_requested": "asks for an introduction",
    "board.action.interviewed": "invites to an interview",
    "board.action.rejected": "rejects",
    "board.action.hired": "hires",
    "referral.status.proposed": "proposed",
    "referral.status.introduced": "introduced",
    "referral.status.interviewed": "interviewed",
    "referral.status.hired": "hired",
    "referral.status.rejected": "rejected",
    "referral.status.withdrawn": "withdrawn",
    "nav.referrals": "Referrals",
    "edit.title": "Edit candidate {ref}",
    "edit.back": "Back to the candidate",
    "edit.saved": "Saved; matching reads the profile again.",
    "edit.unknown_desc": (
        "Matching did not recognise these words. Click a suggestion to replace the word."
    ),
    "edit.use_suggestion": "Replace {text} with {label}",
    "edit.ladder_hint": "1 (isolated) to 6 (paid work).",
    "edit.licences_hint": "For example B, C.",
    "edit.field.postcode": "Postcode",
    "edit.field.benefit": "Benefit",
    "edit.field.ladder_step": "Participation ladder step",
    "edit.field.skills": "Skills",
    "edit.field.occupations": "Occupations",
    "edit.field.education": "Education",
    "edit.field.dutch_level": "Level of Dutch",
    "edit.field.driving_licences": "Driving licences",
    "edit.field.hours_per_week": "Hours per week",
    "edit.field.max_travel_km": "Maximum travel distance (km)",
    "edit.field.available_from": "Available from",
    "edit.field.consent_share": "Consent to share data with employers",
    "edit.field.target_groups": "Target groups",
    "edit.field.coach_id": "Job coach",
    "edit.field.field": "Field",
    "edit.field._form": "Form",
    "edit.link": "Edit",
    "board.title": "Referrals by stage",
    "board.intro": (
        "The referrals of your municipality's candidates. Candidates you coach can be moved to "
        "the next stage; only allowed moves are shown as buttons."
    ),
    "board.moved": "The referral was moved.",
    "board.empty": "No referrals yet.",
    "board.empty_next": "Open a vacancy's shortlist and propose a candidate.",
    "board.column_empty": "None.",
    "board.since": "since {day}",
    "board.move_to": "To {status}",
    "board.reason": "reason",
    "board.reason_for": "Reason for {status}",
    "board.not_yours": "A colleague coaches this candidate.",
    "board.more": "and {n} more",
}

# -- coach insight: the shortlist's SR value and reasons for/against, vacancies in reach, what
# would open doors; the SR dashboard's placements, durability and funnel charts
NL.update(
    {
        "shortlist.col.for": "Wat ervoor pleit",
        "shortlist.col.against_reasons": "Wat ertegen pleit",
        "shortlist.none_for": "niets in het bijzonder",
        "shortlist.none_against": "niets",
        "shortlist.only_missing": "alleen de vereiste vaardigheden die ontbreken (hieronder)",
        "shortlist.col.sr": "Telt mee voor SR",
        "shortlist.sr_yes": "ja",
        "shortlist.sr_no": "nee",
        "shortlist.col.sr_value": "SR-waarde bij aanname",
        "shortlist.sr_per_year": "{eur} per jaar",
        "shortlist.sr_no_contract": "vacature hoort bij geen contract",
        "shortlist.no_consent": (
            "Voorstellen kan pas als de kandidaat toestemming heeft gegeven om gegevens te delen."
        ),
        "dashboard.placements": "Plaatsingen per maand",
        "dashboard.placements_desc": (
            "Plaatsingen van kandidaten van uw gemeente, naar de maand waarin ze begonnen "
            "(laatste 24 maanden)."
        ),
        "dashboard.placements_series": "plaatsingen",
        "dashboard.no_placements": "Nog geen plaatsingen in de laatste 24 maanden.",
        "dashboard.no_placements_next": "Leg plaatsingen vast via de import of het verwijsbord.",
        "dashboard.col.month": "Maand",
        "dashboard.durability": "Duurzaamheid na 3, 6 en 12 maanden",
        "dashboard.durability_desc": (
            "Van de gecontroleerde plaatsingen: het aandeel dat nog aan het werk is en het "
            "aandeel dat uit de uitkering is."
        ),
        "dashboard.durability.employed": "nog aan het werk",
        "dashboard.durability.off_benefit": "uit de uitkering",
        "dashboard.durability.months": "na {n} maanden",
        "dashboard.no_durability": "Nog geen duurzaamheidscontroles vastgelegd.",
        "dashboard.no_durability_next": (
            "Leg na 3, 6 en 12 maanden vast of iemand nog werkt (API of import)."
        ),
        "dashboard.col.milestone": "Moment",
        "dashboard.col.due": "te controleren",
        "dashboard.col.checked": "gecontroleerd",
        "dashboard.funnel": "Van shortlist tot aanname, per modelversie",
        "dashboard.funnel_desc": (
            "Van de paren (vacature, kandidaat) die een modelversie op een shortlist zette: "
            "hoeveel werden voorgesteld, geïntroduceerd, op gesprek gevraagd en aangenomen."
        ),
        "dashboard.funnel.shortlisted": "op shortlist",
        "dashboard.funnel.proposed": "voorgesteld",
        "dashboard.funnel.introduced": "geïntroduceerd",
        "dashboard.funnel.interviewed": "op gesprek",
        "dashboard.funnel.hired": "aangenomen",
        "dashboard.funnel.hired_top10": "aangenomen uit top 10",
        "dashboard.no_funnel": "Nog geen shortlists opgevraagd voor kandidaten van uw gemeente.",
        "dashboard.no_funnel_next": (
            "Zodra jobcoaches shortlists gebruiken, verschijnt hier de trechter."
        ),
        "dashboard.col.model": "Modelversie",
        "dashboard.gaps": "Welke certificaten ontbreken het vaakst",
        "dashboard.gaps_desc": (
            "Bij de {n} open vacatures van uw gemeente: kandidaten die aan alle harde eisen "
            "voldoen behalve het rijbewijs, of die precies één vereist certificaat missen. Zo "
            "ziet u welke opleiding de meeste deuren opent."
        ),
        "dashboard.no_gaps": "Geen bijna-passende kandidaten die op één certificaat stranden.",
        "dashboard.no_gaps_next": "Kijk weer als er nieuwe vacatures zijn.",
        "dashboard.col.gap": "Certificaat of rijbewijs",
        "dashboard.col.kind": "Soort",
        "dashboard.col.gap_candidates": "kandidaten",
        "dashboard.col.gap_vacancies": "vacatures",
        "doors.title": "Wat zou deuren openen",
        "doors.intro": (
            "Welke vaardigheid, welk certificaat of rijbewijs de meeste van de {n} open "
            "vacatures binnen uw bereik zou openen, of een plaats in de top {top} zou opleveren."
        ),
        "doors.none": "Niets: met één extra vaardigheid of rijbewijs verandert er niets.",
        "doors.line": (
            "{n} vacatures meer binnen bereik, bij {top} zou de kandidaat in de top {k} staan"
        ),
        "doors.kind.skill": "vaardigheid",
        "doors.kind.certificate": "certificaat",
        "doors.kind.licence": "rijbewijs",
        "reach.link": "Vacatures binnen bereik",
        "reach.title": "Vacatures binnen bereik: {ref}",
        "reach.back": "Terug naar {ref}",
        "reach.intro": (
            "De open vacatures waar u mee aan de slag kunt en waarvoor deze kandidaat aan de "
            "harde eisen voldoet, de beste eerst."
        ),
        "reach.empty": (
            "Geen open vacature binnen bereik waarvoor deze kandidaat in aanmerking komt."
        ),
        "reach.empty_next": "Bekijk hieronder op de kandidaatpagina wat deuren zou openen.",
    }
)
EN.update(
    {
        "shortlist.col.for": "What speaks for",
        "shortlist.col.against_reasons": "What speaks against",
        "shortlist.none_for": "nothing in particular",
        "shortlist.none_against": "nothing",
        "shortlist.only_missing": "only the required skills that are missing (below)",
        "shortlist.col.sr": "Counts for SR",
        "shortlist.sr_yes": "yes",
        "shortlist.sr_no": "no",
        "shortlist.col.sr_value": "SR value of a hire",
        "shortlist.sr_per_year": "{eur} a year",
        "shortlist.sr_no_contract": "vacancy belongs to no contract",
        "shortlist.no_consent": (
            "You can propose the candidate once they have consented to sharing their data."
        ),
        "dashboard.placements": "Placements per month",
        "dashboard.placements_desc": (
            "Placements of your municipality's candidates, by the month they started "
            "(last 24 months)."
        ),
        "dashboard.placements_series": "placements",
        "dashboard.no_placements": "No placements in the last 24 months yet.",
        "dashboard.no_placements_next": "Record placements through the import or the board.",
        "dashboard.col.month": "Month",
        "dashboard.durability": "Durability after 3, 6 and 12 months",
        "dashboard.durability_desc": (
            "Of the checked placements: the share still employed and the share off benefits."
        ),
        "dashboard.durability.employed": "still employed",
        "dashboard.durability.off_benefit": "off benefits",
        "dashboard.durability.months": "after {n} months",
        "dashboard.no_durability": "No durability checks recorded yet.",
        "dashboard.no_durability_next": (
            "Record after 3, 6 and 12 months whether the person still works (API or import)."
        ),
        "dashboard.col.milestone": "Milestone",
        "dashboard.col.due": "due",
        "dashboard.col.checked": "checked",
        "dashboard.funnel": "From shortlist to hire, per model version",
        "dashboard.funnel_desc": (
            "Of the (vacancy, candidate) pairs a model version shortlisted: how many were "
            "proposed, introduced, interviewed and hired."
        ),
        "dashboard.funnel.shortlisted": "shortlisted",
        "dashboard.funnel.proposed": "proposed",
        "dashboard.funnel.introduced": "introduced",
        "dashboard.funnel.interviewed": "interviewed",
        "dashboard.funnel.hired": "hired",
        "dashboard.funnel.hired_top10": "hired from the top 10",
        "dashboard.no_funnel": "No shortlists served for your municipality's candidates yet.",
        "dashboard.no_funnel_next": "Once coaches use shortlists, the funnel appears here.",
        "dashboard.col.model": "Model version",
        "dashboard.gaps": "Which certificates are missing most often",
        "dashboard.gaps_desc": (
            "For your municipality's {n} open vacancies: candidates who meet every hard "
            "requirement but the driving licence, or miss exactly one required certificate. "
            "It shows which training opens the most doors."
        ),
        "dashboard.no_gaps": "No near-miss candidates held back by one certificate.",
        "dashboard.no_gaps_next": "Look again when new vacancies come in.",
        "dashboard.col.gap": "Certificate or licence",
        "dashboard.col.kind": "Kind",
        "dashboard.col.gap_candidates": "candidates",
        "dashboard.col.gap_vacancies": "vacancies",
        "doors.title": "What would open doors",
        "doors.intro": (
            "Which skill, certificate or driving licence would open the most of the {n} open "
            "vacancies in your reach, or earn a place in the top {top}."
        ),
        "doors.none": "Nothing: one more skill or licence would not change anything.",
        "doors.line": (
            "{n} more vacancies in reach, {top} where the candidate would be in the top {k}"
        ),
        "doors.kind.skill": "skill",
        "doors.kind.certificate": "certificate",
        "doors.kind.licence": "driving licence",
        "reach.link": "Vacancies in reach",
        "reach.title": "Vacancies in reach: {ref}",
        "reach.back": "Back to {ref}",
        "reach.intro": (
            "The open vacancies you can act on whose hard requirements this candidate meets, "
            "best first."
        ),
        "reach.empty": "No open vacancy in reach for which this candidate qualifies.",
        "reach.empty_next": "See what would open doors on the candidate's page.",
    }
)

# an edit form saved over a version someone else saved meanwhile (issue 13, optimistic locking)
NL["errors.stale"] = (
    "Iemand anders heeft dit gegeven opgeslagen nadat u het formulier opende (versie "
    "{expected}, nu {current}). Uw wijzigingen zijn niet opgeslagen. Laad de pagina opnieuw om "
    "de nieuwe gegevens te zien, of sla nogmaals op om ze te overschrijven."
)
EN["errors.stale"] = (
    "Someone else saved this record after you opened the form (version {expected}, now "
    "{current}). Your changes were not saved. Reload the page to see theirs, or save again to "
    "overwrite them."
)

# the contractor portal (issue 11): own contract, SR efforts, search, proposal requests
NL.update(PORTAL_NL)
EN.update(PORTAL_EN)

# responsible matching (issue 14): its texts live in their own module
from api.web.i18n_responsible import EN as _RESPONSIBLE_EN  # noqa: E402
from api.web.i18n_responsible import NL as _RESPONSIBLE_NL  # noqa: E402

NL.update(_RESPONSIBLE_NL)
EN.update(_RESPONSIBLE_EN)

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


# --- issue 11, life cycle: final contract status, contract edits, closed vacancies, follow-ups ---
_LIFECYCLE_NL: dict[str, str] = {
    "status.not_met": "niet gehaald",
    "dashboard.durability.durable": "plaatsing duurde tot dan (einddatum en controles)",
    "contract.status_final": "definitief: het contract is afgelopen",
    "contract.edit": "Contract wijzigen",
    "contract.edit_desc": (
        "Alleen wat u verandert wordt opgeslagen; elke wijziging komt met de oude en nieuwe "
        "waarde in het auditlog."
    ),
    "contract.field.value_eur": "Opdrachtwaarde excl. btw (euro)",
    "contract.field.sr_percentage": "SR-percentage",
    "contract.field.start_date": "Startdatum",
    "contract.field.end_date": "Einddatum",
    "contract.field.sr_table": "Bouwblokkentabel",
    "contract.field.category": "Soort opdracht",
    "contract.field.social_purchasing_eur": "Sociaal inkopen tot nu toe (euro excl. btw)",
    "contract.field.pso_trede": "PSO-certificaat",
    "contract.none": "geen",
    "contract.save": "Wijzigingen opslaan",
    "contract.saved": "De wijzigingen zijn opgeslagen.",
    "vacancy.closed_reason.filled": "vervuld",
    "vacancy.closed_reason.contract_ended": "contract afgelopen",
    "vacancy.closed_reason.withdrawn": "ingetrokken",
    "nav.checks": "Nazorg",
    "checks.title": "Nazorg: te registreren controles",
    "checks.intro": (
        "Per plaatsing de controle na 3, 6 en 12 maanden: werkt de kandidaat nog en is de "
        "uitkering gestopt? Een plaatsing die eerder is geëindigd telt niet als duurzaam."
    ),
    "checks.saved": "De controle is geregistreerd.",
    "checks.empty": "Er staan geen controles open.",
    "checks.empty_next": "Zodra een plaatsing 3, 6 of 12 maanden loopt, verschijnt ze hier.",
    "checks.col.candidate": "Kandidaat",
    "checks.col.placement": "Plaatsing",
    "checks.col.milestone": "Na",
    "checks.col.due": "Te doen vanaf",
    "checks.col.record": "Registreren",
    "checks.period": "{start} – {end}",
    "checks.running": "loopt nog",
    "checks.ended_before": "Geëindigd vóór {months} maanden: niet duurzaam",
    "checks.months": "{months} mnd",
    "checks.overdue": "{days} dagen over tijd",
    "checks.what": "Werkt de kandidaat nog bij deze werkgever, en is de uitkering gestopt?",
    "checks.what_ended": "Werkt de kandidaat nu elders, en is de uitkering gestopt?",
    "checks.checked_on": "Gecontroleerd op",
    "checks.still_employed": "Werkt nog",
    "checks.off_benefit": "Uit de uitkering",
    "checks.yes": "ja",
    "checks.no": "nee",
    "checks.record": "Registreren",
    "checks.ended_on": "Plaatsing geëindigd op",
    "checks.end": "Einde vastleggen",
    "checks.ended_saved": "Het einde van de plaatsing is vastgelegd.",
}
_LIFECYCLE_EN: dict[str, str] = {
    "status.not_met": "not met",
    "dashboard.durability.durable": "placement lasted to then (end dates and checks)",
    "contract.status_final": "final: the contract has ended",
    "contract.edit": "Change the contract",
    "contract.edit_desc": (
        "Only what you change is saved; every change goes into the audit trail with its old "
        "and new value."
    ),
    "contract.field.value_eur": "Contract value excl. VAT (euro)",
    "contract.field.sr_percentage": "SR percentage",
    "contract.field.start_date": "Start date",
    "contract.field.end_date": "End date",
    "contract.field.sr_table": "Building-block table",
    "contract.field.category": "Kind of contract",
    "contract.field.social_purchasing_eur": "Social purchasing to date (euro excl. VAT)",
    "contract.field.pso_trede": "PSO certificate",
    "contract.none": "none",
    "contract.save": "Save the changes",
    "contract.saved": "The changes have been saved.",
    "vacancy.closed_reason.filled": "filled",
    "vacancy.closed_reason.contract_ended": "contract ended",
    "vacancy.closed_reason.withdrawn": "withdrawn",
    "nav.checks": "Follow-ups",
    "checks.title": "Follow-ups to record",
    "checks.intro": (
        "For each placement the check after 3, 6 and 12 months: is the candidate still at work "
        "and off benefits? A placement that ended earlier does not count as durable."
    ),
    "checks.saved": "The check has been recorded.",
    "checks.empty": "No checks are due.",
    "checks.empty_next": "A placement appears here once it has run 3, 6 or 12 months.",
    "checks.col.candidate": "Candidate",
    "checks.col.placement": "Placement",
    "checks.col.milestone": "After",
    "checks.col.due": "Due from",
    "checks.col.record": "Record",
    "checks.period": "{start} – {end}",
    "checks.running": "still running",
    "checks.ended_before": "Ended before {months} months: not durable",
    "checks.months": "{months} mo",
    "checks.overdue": "{days} days overdue",
    "checks.what": "Is the candidate still with this employer, and off benefits?",
    "checks.what_ended": "Does the candidate work elsewhere now, and are they off benefits?",
    "checks.checked_on": "Checked on",
    "checks.still_employed": "Still employed",
    "checks.off_benefit": "Off benefits",
    "checks.yes": "yes",
    "checks.no": "no",
    "checks.record": "Record",
    "checks.ended_on": "Placement ended on",
    "checks.end": "Record the end",
    "checks.ended_saved": "The end of the placement has been recorded.",
}
NL.update(_LIFECYCLE_NL)
EN.update(_LIFECYCLE_EN)
