"""The documents that cross an edge (API bodies, `--json`, stored JSON columns, exports), one Pydantic
model each. Field names are stable: scripts rely on them (docs/ENGINE.md).

Models only check a document's shape and plain values, each problem in words naming its field
(`documents.errors` maps them to InvalidInput); the services check what needs the catalog or the
domain (an exercise id, a dose within its handout's range). `from_*` class methods build a document
from the domain's dataclasses, so each shape is written once.

    screening  answers in, result out, the questions, a stored screening's details
    plan       dose, plan (as made and as stored), plan request, a program or plan read back in
    script     session script and step, with targets for a player; script request
    breaks     break settings and status, a break routine
    views      Today and Progress, plan options
    catalog    an exercise and a handout program
"""
