"""Stage 1, read: files to documents.

``files`` expands inputs and opens each format, ``encoding`` decodes text files,
``layout`` repairs the layout into citable text with numbered paragraphs,
``metadata`` reads body, session, dates and venue from a report's own words,
and ``documents`` puts them together into :class:`~positions.read.documents.Document`.
``files`` also knows where the bundled demo corpus is.
"""
