"""srmatch domain logic: matching, and SR measurement in :mod:`matcher.sr`.

The modules here match candidates and vacancies: normalisation (:mod:`matcher.normalize`,
:mod:`matcher.taxonomy`, :mod:`matcher.geo`), features, eligibility, the ranker and its training,
shortlists with reasons, and evaluation. :mod:`matcher.sr` measures what came of it: the SR
building-block tables, valuation, contract progress, durability, reach and the matching funnel.

Plain Python, numpy, pandas and scikit-learn only: no web framework, no database session.
"""
