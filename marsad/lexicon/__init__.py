"""Language data (months, titles, demonyms, organisations, triggers, topics) and its loaders.

The data files live in ``marsad/lexicon/data/``; where a well-kept library already has the data
(CLDR month and country names through Babel, ISO names through pycountry) it is taken from there
and the files keep only what those lack.
"""
