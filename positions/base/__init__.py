"""The bottom layer every stage may import: table schemas, configuration, errors, output files, progress.

Nothing here imports another part of the package, pandas' heavy friends or matplotlib.
"""
