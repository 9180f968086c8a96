"""Reading what pages state, as code: tables as records, numbers as numbers, positions as coordinates.

Pure functions over a page's markdown; the agents' tools (``geoscout.tools``) and the result stages
(``geoscout.results``, ``geoscout.provenance``) build on them. Nothing here knows a subject.
"""
