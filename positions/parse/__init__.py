"""Stage 2, parse: documents to the statements table (sentences attributed to speakers).

``sentences`` splits paragraphs into sentences with their offsets,
``gazetteer`` knows the names of States and groups, ``speakers`` attributes
each sentence to a speaker, ``build`` makes one document's rows, and ``table``
the public tables (:func:`~positions.parse.table.statements` on pandas
or Dask, ``participants``, ``info``).
"""
