"""The services' messages in Dutch, for the Dutch pages.

Services (``api.services``) refuse input with English messages that name the field, the value
and what is allowed: the API, the CLI and the logs keep them so. A Dutch page shows the messages
users meet most (candidate and vacancy forms, postcodes, moves on the referral board, proposing
from a shortlist) in Dutch: ``service_message(text, "nl")`` matches the text against
``MESSAGES`` (one regular expression per message, its values captured) and fills the Dutch
template. A message without a translation is shown as the service wrote it, never dropped.
Status names inside a message (``proposed``, ``hired``...) are translated as well.
"""

from __future__ import annotations

import re

#: referral statuses as the Dutch pages name them
STATUS_NL = {
    "proposed": "voorgesteld",
    "introduced": "geïntroduceerd",
    "interviewed": "op gesprek",
    "hired": "aangenomen",
    "rejected": "afgewezen",
    "withdrawn": "teruggetrokken",
}


def _statuses(text: str) -> str:
    return ", ".join(STATUS_NL.get(s.strip(), s.strip()) for s in text.split(","))


#: (pattern over the whole English message, Dutch template with the groups as {name})
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.DOTALL), nl)
    for p, nl in (
        (r"must be an active coach of your municipality", "moet een actieve jobcoach van uw "
         "gemeente zijn"),
        (r"a candidate needs a coach", "een kandidaat heeft een jobcoach nodig"),
        (r"candidate_ref (?P<v>'[^']*') already exists", "kandidaatreferentie {v} bestaat al"),
        (r"vacancy_ref (?P<v>'[^']*') already exists", "vacaturereferentie {v} bestaat al"),
        (r"not one of your contracts", "is niet een van uw contracten"),
        (r"may not be empty", "mag niet leeg zijn"),
        (r"(?P<v>'[^']*') is not one of: (?P<allowed>.*)", "{v} is niet toegestaan; kies uit: "
         "{allowed}"),
        (r"postcode: (?P<v>'[^']*') is not a Dutch postcode.*", "postcode {v} is geen "
         "Nederlandse postcode; verwacht vier cijfers (1000-9999) en eventueel twee letters, "
         "bijvoorbeeld 3511 AB"),
        (r"postcode: (?P<v>'[^']*') .*(unknown|not found).*", "postcode {v} is onbekend; "
         "controleer de cijfers"),
        (r"the candidate is not active", "de kandidaat is niet actief"),
        (r"the candidate has not consented to share data with contractors.*", "de kandidaat "
         "heeft geen toestemming gegeven om gegevens met opdrachtnemers te delen: voorstellen "
         "kan pas na toestemming"),
        (r"candidate (?P<c>\d+) is already referred to vacancy (?P<v>\d+) \(referral "
         r"(?P<r>\d+), status (?P<s>\w+)\)", "kandidaat {c} is al voorgesteld voor vacature {v} "
         "(verwijzing {r}, status {s})"),
        (r"candidate (?P<c>\d+) was proposed for vacancy (?P<v>\d+) by another request.*",
         "kandidaat {c} werd op hetzelfde moment door iemand anders voorgesteld voor vacature "
         "{v}; er is niets opgeslagen: bekijk de verwijzingen van de kandidaat"),
        (r"the referral is already (?P<s>\w+), which is final", "de verwijzing is al {s}; dat "
         "is definitief"),
        (r"cannot go from (?P<a>\w+) to (?P<b>\w+); allowed: (?P<allowed>.*)", "kan niet van "
         "{a} naar {b}; toegestaan: {allowed}"),
        (r"unknown status; allowed: (?P<allowed>.*)", "onbekende status; toegestaan: {allowed}"),
        (r"a reason is required when a referral is (?P<s>\w+)", "geef een reden op als een "
         "verwijzing {s} wordt"),
        (r"must not be before the last change \((?P<d>[^)]*)\)", "mag niet vóór de laatste "
         "wijziging liggen ({d})"),
        (r"an introduction shows the contractor who the person is.*", "een introductie laat de "
         "opdrachtnemer zien wie de persoon is en vraagt om vastgelegde toestemming van de "
         "kandidaat voor deze verwijzing: geef aan hoe die is gegeven"),
        (r"(a hire|an interview) needs a consented introduction first.*", "eerst is een "
         "introductie met toestemming nodig: de jobcoach legt de toestemming van de kandidaat "
         "vast en introduceert hem of haar"),
        (r"consent cannot be given in the future", "toestemming kan niet in de toekomst "
         "gegeven zijn"),
        (r"allowed: (?P<allowed>.*)", "toegestaan: {allowed}"),
        (r"this \w+ was changed by someone else after you read it.*", "iemand anders "
         "heeft dit intussen gewijzigd; er is niets opgeslagen: laad de pagina opnieuw en "
         "probeer het nog eens"),
    )
)  # fmt: skip


def service_message(text: str, lang: str) -> str:
    """The service's message in the page's language (English messages pass through).

    >>> service_message("cannot go from proposed to hired; allowed: introduced, withdrawn", "nl")
    'kan niet van voorgesteld naar aangenomen; toegestaan: geïntroduceerd, teruggetrokken'
    >>> service_message("may not be empty", "en"), service_message("something new", "nl")
    ('may not be empty', 'something new')
    """
    if lang != "nl" or not text:
        return text
    for pattern, template in MESSAGES:
        found = pattern.fullmatch(text.strip())
        if found:
            values = {
                k: (_statuses(v) if k in ("s", "a", "b", "allowed") else v)
                for k, v in found.groupdict().items()
                if v is not None
            }
            return template.format(**values)
    return text


def service_messages(errors: object, lang: str) -> object:
    """A page's ``errors`` (field or object -> message) with every message in ``lang``."""
    if lang != "nl" or not isinstance(errors, dict):
        return errors
    return {k: service_message(v, lang) if isinstance(v, str) else v for k, v in errors.items()}
