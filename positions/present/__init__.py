"""Stage 5, present: charts, the brief, the report folder and notebook display.

``words`` says things in English and Chinese, ``charts`` draws (matplotlib
is imported here and nowhere earlier), ``brief`` and ``methods`` write the
brief's sentences, ``render`` makes Markdown and HTML of them, ``report``
writes the report folder, and ``display`` styles a position table.
"""
