"""srmatch domain logic: normalisation, geo, features, ranking, evaluation and SR valuation.

Plain Python, numpy, pandas and scikit-learn only: no web framework, no database session.
"""
