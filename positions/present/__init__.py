"""Stage 5, present: charts, the brief, the report folder and notebook display.

``words`` says things in English and Chinese, ``charts`` draws (matplotlib
is imported here and nowhere earlier) with ``layout`` fitting its titles,
``brief`` writes the brief's sentences and ``agreement`` its cross-lingual
check, ``render`` makes Markdown and HTML of them, ``report``
writes the report folder, and ``display`` styles a position table.
"""
