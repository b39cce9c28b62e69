"""Messages of the contractor-portal pages (own contract, SR efforts, search, requests), Dutch
and English; ``api.web.i18n`` merges them into its catalogue."""

from __future__ import annotations

PORTAL_NL: dict[str, str] = {
    "nav.search": "Kandidaten zoeken",
    "nav.efforts": "SR-inspanningen",
    "nav.requests": "Verzoeken",
    # one contract
    "portal.contract_title": "Contract {ref}",
    "portal.back_contracts": "← Alle contracten",
    "portal.table": "bouwblokkentabel {table} {version}",
    "portal.progress": "Voortgang",
    "portal.forecast": "Prognose tot einddatum",
    "portal.status": "Stand",
    "portal.status.met": "gehaald",
    "portal.status.on_track": "op koers",
    "portal.status.behind": "achter",
    "portal.status.not_met": "niet gehaald",
    "portal.shortfall": "nog {amount} te gaan",
    "portal.bar_realised": "Gerealiseerd tot vandaag",
    "portal.bar_forecast": "Prognose (lopende plaatsingen lopen door tot de einddatum)",
    "portal.bar_note": "Een volle balk is de verplichting van {obligation}.",
    "portal.trace": "Verantwoording per regel",
    "portal.trace_note": (
        "Elke gerekende euro: per plaatsingsperiode de uren en dagen, per goedgekeurde "
        "inspanning het bedrag. Zonder namen, referenties, postcodes of uitkering."
    ),
    "portal.trace_empty": "Nog niets gerealiseerd op dit contract.",
    "portal.trace_empty_next": (
        "Plaatsingen en goedgekeurde inspanningen verschijnen hier zodra ze meetellen."
    ),
    "portal.col.source": "Bron",
    "portal.col.period": "Periode",
    "portal.col.hours": "Uur per week",
    "portal.col.realised": "Gerealiseerd",
    "portal.col.amount": "Bedrag (€)",
    "portal.col.how": "Berekening",
    "portal.source.placement": "Plaatsing",
    "portal.source.social_purchasing": "Social inkoop",
    "portal.source.volunteer": "Vrijwilligerswerk",
    "portal.source.pso": "PSO",
    "portal.source.training": "Opleiding",
    "portal.forecast_part": "prognose",
    "portal.details": "Voortgang en verantwoording per contract",
    # efforts
    "efforts.title": "SR-inspanningen",
    "efforts.intro": (
        "Meld social inkoop bij een sociale onderneming, een PSO-certificaat, een opleiding of "
        "vrijwilligerswerk met bewijs. Een SR-adviseur van de gemeente keurt de melding goed of "
        "af; goedgekeurde inspanningen tellen mee via de bouwblokkentabel van het contract."
    ),
    "efforts.saved": "Uw melding is ontvangen; de SR-adviseur beoordeelt haar.",
    "efforts.report": "Inspanning melden",
    "efforts.reported": "Gemelde inspanningen",
    "efforts.submit": "Melden",
    "efforts.empty": "Nog geen inspanningen gemeld.",
    "efforts.empty_next": "Meld social inkoop, PSO, een opleiding of vrijwilligerswerk.",
    "efforts.kind.social_purchasing": "Social inkoop",
    "efforts.kind.pso": "PSO-certificaat",
    "efforts.kind.training": "Opleiding",
    "efforts.kind.volunteer": "Vrijwilligerswerk / kennis",
    "efforts.status.pending": "te beoordelen",
    "efforts.status.approved": "goedgekeurd",
    "efforts.status.rejected": "afgekeurd",
    "efforts.field.contract_id": "Contract",
    "efforts.field.kind": "Soort inspanning",
    "efforts.field.description": "Omschrijving",
    "efforts.field.day": "Datum (factuur, certificaat, opleiding of werk)",
    "efforts.field.amount_eur": "Bedrag excl. btw (€)",
    "efforts.field.hours": "Uren",
    "efforts.field.pso_level": "PSO-trede",
    "efforts.field.evidence_ref": "Bewijs: factuur- of certificaatnummer",
    "efforts.field.evidence_name": "Bewijs: bestandsnaam",
    "efforts.field.evidence": "Bewijsstuk uploaden (PDF, PNG of JPEG)",
    "efforts.evidence_file_hint": "Optioneel; de SR-adviseur kan het downloaden.",
    "efforts.err.too_big": "Het bestand is groter dan toegestaan.",
    "efforts.description_hint": "Bij wie, wat en voor wie; minstens 3 tekens.",
    "efforts.amount_hint": "Voor social inkoop en opleidingen.",
    "efforts.hours_hint": "Voor vrijwilligerswerk of kennisoverdracht.",
    "efforts.evidence_hint": "Zo vindt de SR-adviseur het bewijs terug in uw administratie.",
    "efforts.col.status": "Status",
    "efforts.col.credited": "Telt mee (€)",
    "efforts.col.contractor": "Opdrachtnemer",
    "efforts.col.evidence": "Bewijs",
    "efforts.col.amount": "Bedrag / uren",
    "efforts.col.decide": "Besluit",
    "efforts.err.number": "Vul een getal in, bijvoorbeeld 1250,50.",
    "efforts.err.contract": "Kies een contract.",
    "efforts.err.decide": (
        "Inspanning {id} is niet beoordeeld: afkeuren vraagt een reden, en een al beoordeelde "
        "inspanning kan niet opnieuw."
    ),
    "efforts.sr_title": "SR-inspanningen beoordelen",
    "efforts.sr_intro": (
        "Meldingen van opdrachtnemers op contracten van uw gemeente. Goedkeuren telt de "
        "inspanning mee in de realisatie; afkeuren vraagt een reden."
    ),
    "efforts.sr_empty": "Geen meldingen met deze status.",
    "efforts.sr_empty_next": "Kies een andere status.",
    "efforts.all": "alle",
    "efforts.reason": "Reden (verplicht bij afkeuren)",
    "efforts.approve": "Goedkeuren",
    "efforts.reject": "Afkeuren",
    # search
    "search.title": "Kandidaten zoeken",
    "search.intro": (
        "Anonieme profielen van kandidaten die toestemming gaven om gegevens te delen, binnen "
        "bereik van een van uw open vacatures. U ziet nooit namen, referenties, postcodes of "
        "uitkeringen; vraag de jobcoach om iemand voor te dragen, de coach beslist."
    ),
    "search.no_vacancies": "U heeft geen open vacatures.",
    "search.no_vacancies_next": "Plaats eerst een vacature; daarna kunt u zoeken.",
    "search.field.vacancy_id": "Vacature",
    "search.field.skills": "Vaardigheden (alle)",
    "search.field.occupations": "Beroepen (een van)",
    "search.field.hours_min": "Minimaal uren per week",
    "search.field.max_km": "Maximale afstand tot de werkplek (km)",
    "search.field.education_min": "Minimaal opleidingsniveau",
    "search.field.driving_licences": "Rijbewijzen",
    "search.skills_hint": "Eén per regel of gescheiden door komma's.",
    "search.occupations_hint": "Eén per regel of gescheiden door komma's.",
    "search.submit": "Zoeken",
    "search.results": "{n} profielen voor {ref}",
    "search.results_note": (
        "{considered} kandidaten voldoen aan de filters, {eligible} aan de harde regels van "
        "de shortlist."
    ),
    "search.none": "Geen profielen gevonden.",
    "search.none_next": "Verruim de filters, bijvoorbeeld de afstand of de vaardigheden.",
    "search.profile": "Profiel {handle}",
    "search.score": "score {score}",
    "search.occupations": "Beroepen",
    "search.skills": "Vaardigheden",
    "search.education": "Opleiding",
    "search.dutch": "Nederlands",
    "search.hours": "Uur per week",
    "search.distance": "Afstand",
    "search.licences": "Rijbewijzen",
    "search.missing": "Mist: {skills}",
    "search.message": "Bericht aan de coach (optioneel)",
    "search.ask": "Vraag de coach om voor te dragen",
    "search.err.vacancy": "Kies een vacature.",
    # requests
    "requests.title": "Verzoeken aan coaches",
    "requests.intro": (
        "Uw verzoeken om een profiel voor te dragen. De coach beslist; na akkoord ziet u het "
        "voorstel bij Voorstellen (anoniem tot een introductie met toestemming)."
    ),
    "requests.sent": "Uw verzoek is naar de coach gestuurd.",
    "requests.col.profile": "Profiel",
    "requests.col.vacancy": "Vacature",
    "requests.col.status": "Status",
    "requests.col.when": "Gevraagd op",
    "requests.col.candidate": "Kandidaat",
    "requests.col.contractor": "Opdrachtnemer",
    "requests.col.decide": "Besluit",
    "requests.status.pending": "open",
    "requests.status.accepted": "voorgedragen",
    "requests.status.declined": "afgewezen",
    "requests.see_proposal": "Naar het voorstel",
    "requests.empty": "Nog geen verzoeken.",
    "requests.empty_next": "Zoek kandidaten en vraag de coach om iemand voor te dragen.",
    "requests.coach_title": "Verzoeken van opdrachtnemers",
    "requests.coach_intro": (
        "Opdrachtnemers vonden een anoniem profiel van een van uw kandidaten en vragen u om "
        "voor te dragen. U beslist: akkoord maakt een gewoon voorstel, afwijzen vraagt een "
        "reden (die ziet alleen u)."
    ),
    "requests.coach_empty": "Geen verzoeken met deze status.",
    "requests.coach_empty_next": "Nieuwe verzoeken verschijnen hier.",
    "requests.accept": "Voordragen",
    "requests.reason": "Reden om af te wijzen",
    "requests.decline": "Afwijzen",
    "requests.see_referral": "Naar het voorstel",
}

PORTAL_EN: dict[str, str] = {
    "nav.search": "Find candidates",
    "nav.efforts": "SR efforts",
    "nav.requests": "Requests",
    "portal.contract_title": "Contract {ref}",
    "portal.back_contracts": "← All contracts",
    "portal.table": "building-block table {table} {version}",
    "portal.progress": "Progress",
    "portal.forecast": "Forecast to the end date",
    "portal.status": "Status",
    "portal.status.met": "met",
    "portal.status.on_track": "on track",
    "portal.status.behind": "behind",
    "portal.status.not_met": "not met",
    "portal.shortfall": "{amount} still to go",
    "portal.bar_realised": "Realised to date",
    "portal.bar_forecast": "Forecast (running placements continue to the end date)",
    "portal.bar_note": "A full bar is the obligation of {obligation}.",
    "portal.trace": "Line-by-line account",
    "portal.trace_note": (
        "Every credited euro: per placement period the hours and days, per approved effort the "
        "amount. No names, references, postcodes or benefits."
    ),
    "portal.trace_empty": "Nothing realised on this contract yet.",
    "portal.trace_empty_next": "Placements and approved efforts appear here once they count.",
    "portal.col.source": "Source",
    "portal.col.period": "Period",
    "portal.col.hours": "Hours per week",
    "portal.col.realised": "Realised",
    "portal.col.amount": "Amount (€)",
    "portal.col.how": "Computation",
    "portal.source.placement": "Placement",
    "portal.source.social_purchasing": "Social purchasing",
    "portal.source.volunteer": "Volunteer work",
    "portal.source.pso": "PSO",
    "portal.source.training": "Training",
    "portal.forecast_part": "forecast",
    "portal.details": "Progress and account per contract",
    "efforts.title": "SR efforts",
    "efforts.intro": (
        "Report social purchasing from a social enterprise, a PSO certificate, a training or "
        "volunteer work with evidence. An SR officer of the municipality approves or rejects "
        "it; approved efforts count through the contract's building-block table."
    ),
    "efforts.saved": "Your report was received; the SR officer will review it.",
    "efforts.report": "Report an effort",
    "efforts.reported": "Reported efforts",
    "efforts.submit": "Report",
    "efforts.empty": "No efforts reported yet.",
    "efforts.empty_next": "Report social purchasing, PSO, a training or volunteer work.",
    "efforts.kind.social_purchasing": "Social purchasing",
    "efforts.kind.pso": "PSO certificate",
    "efforts.kind.training": "Training",
    "efforts.kind.volunteer": "Volunteer / knowledge support",
    "efforts.status.pending": "to review",
    "efforts.status.approved": "approved",
    "efforts.status.rejected": "rejected",
    "efforts.field.contract_id": "Contract",
    "efforts.field.kind": "Kind of effort",
    "efforts.field.description": "Description",
    "efforts.field.day": "Date (invoice, certificate, training or work)",
    "efforts.field.amount_eur": "Amount excl. VAT (€)",
    "efforts.field.hours": "Hours",
    "efforts.field.pso_level": "PSO level",
    "efforts.field.evidence_ref": "Evidence: invoice or certificate number",
    "efforts.field.evidence_name": "Evidence: file name",
    "efforts.field.evidence": "Upload the evidence (PDF, PNG or JPEG)",
    "efforts.evidence_file_hint": "Optional; the SR officer can download it.",
    "efforts.err.too_big": "The file is larger than allowed.",
    "efforts.description_hint": "From whom, what and for whom; at least 3 characters.",
    "efforts.amount_hint": "For social purchasing and trainings.",
    "efforts.hours_hint": "For volunteer work or knowledge support.",
    "efforts.evidence_hint": "So the SR officer can find the evidence in your records.",
    "efforts.col.status": "Status",
    "efforts.col.credited": "Counts (€)",
    "efforts.col.contractor": "Contractor",
    "efforts.col.evidence": "Evidence",
    "efforts.col.amount": "Amount / hours",
    "efforts.col.decide": "Decision",
    "efforts.err.number": "Enter a number, for example 1250.50.",
    "efforts.err.contract": "Choose a contract.",
    "efforts.err.decide": (
        "Effort {id} was not decided: a rejection needs a reason, and a decided effort cannot "
        "be decided again."
    ),
    "efforts.sr_title": "Review SR efforts",
    "efforts.sr_intro": (
        "Reports by contractors on contracts of your municipality. Approving counts the effort "
        "in the realisation; rejecting needs a reason."
    ),
    "efforts.sr_empty": "No reports with this status.",
    "efforts.sr_empty_next": "Choose another status.",
    "efforts.all": "all",
    "efforts.reason": "Reason (required to reject)",
    "efforts.approve": "Approve",
    "efforts.reject": "Reject",
    "search.title": "Find candidates",
    "search.intro": (
        "Anonymous profiles of candidates who consented to share their data, in reach of one of "
        "your open vacancies. You never see names, references, postcodes or benefits; ask the "
        "job coach to propose someone, the coach decides."
    ),
    "search.no_vacancies": "You have no open vacancies.",
    "search.no_vacancies_next": "Post a vacancy first; then you can search.",
    "search.field.vacancy_id": "Vacancy",
    "search.field.skills": "Skills (all of)",
    "search.field.occupations": "Occupations (any of)",
    "search.field.hours_min": "At least hours per week",
    "search.field.max_km": "Maximum distance to the workplace (km)",
    "search.field.education_min": "Minimum education",
    "search.field.driving_licences": "Driving licences",
    "search.skills_hint": "One per line or separated by commas.",
    "search.occupations_hint": "One per line or separated by commas.",
    "search.submit": "Search",
    "search.results": "{n} profiles for {ref}",
    "search.results_note": (
        "{considered} candidates match the filters, {eligible} pass the shortlist's hard rules."
    ),
    "search.none": "No profiles found.",
    "search.none_next": "Widen the filters, for example the distance or the skills.",
    "search.profile": "Profile {handle}",
    "search.score": "score {score}",
    "search.occupations": "Occupations",
    "search.skills": "Skills",
    "search.education": "Education",
    "search.dutch": "Dutch",
    "search.hours": "Hours per week",
    "search.distance": "Distance",
    "search.licences": "Driving licences",
    "search.missing": "Missing: {skills}",
    "search.message": "Message to the coach (optional)",
    "search.ask": "Ask the coach to propose",
    "search.err.vacancy": "Choose a vacancy.",
    "requests.title": "Requests to coaches",
    "requests.intro": (
        "Your requests to propose a profile. The coach decides; once accepted you see the "
        "proposal under Proposals (anonymous until a consented introduction)."
    ),
    "requests.sent": "Your request was sent to the coach.",
    "requests.col.profile": "Profile",
    "requests.col.vacancy": "Vacancy",
    "requests.col.status": "Status",
    "requests.col.when": "Asked on",
    "requests.col.candidate": "Candidate",
    "requests.col.contractor": "Contractor",
    "requests.col.decide": "Decision",
    "requests.status.pending": "open",
    "requests.status.accepted": "proposed",
    "requests.status.declined": "declined",
    "requests.see_proposal": "To the proposal",
    "requests.empty": "No requests yet.",
    "requests.empty_next": "Find candidates and ask the coach to propose someone.",
    "requests.coach_title": "Requests from contractors",
    "requests.coach_intro": (
        "Contractors found an anonymous profile of one of your candidates and ask you to "
        "propose them. You decide: accepting makes a normal proposal, declining needs a reason "
        "(only you see it)."
    ),
    "requests.coach_empty": "No requests with this status.",
    "requests.coach_empty_next": "New requests appear here.",
    "requests.accept": "Propose",
    "requests.reason": "Reason to decline",
    "requests.decline": "Decline",
    "requests.see_referral": "To the proposal",
}
