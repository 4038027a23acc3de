"""marsad (مرصد): official visits and bilateral meetings from Arabic news, with evidence.

The pipeline's stages are the sub-packages, in the order data flows: ``ingest`` → ``clean`` →
``extract`` (dates, entities, events) → ``link`` → ``cluster``; ``store`` is the only place that
speaks SQL, ``web`` and ``cli`` are thin shells around the library.
"""

__version__ = "0.1.0"
