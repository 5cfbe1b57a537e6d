"""The documents that cross an edge (API bodies, `--json`, stored JSON columns, exports), one Pydantic
model each. Field names are stable: scripts rely on them (docs/ENGINE.md).

Models only check a document's shape and plain values, each problem in words naming its field
(`documents.errors` maps them to InvalidInput); the services check what needs the catalog or the
domain (an exercise id, a dose within its handout's range). `from_*` class methods build a document
from the domain's dataclasses, so each shape is written once.

    screening       answers in, result out, the questions, a stored screening's details
    plan            dose, plan (as made and as stored), plan request and choice, a program or plan read
                    back in, the plan answer
    script          session script and step, with targets for a player; script request
    session_result  a finished session in (from a player) and out, with the dose changes it made
    checkin         a pain check-in in and out
    profile         the person's profile in (any subset) and out
    breaks          break settings (in and out), a break event, the status, a break routine
    views           Today and Progress, plan options
    catalog         an exercise and a handout program
    prescription    a clinician's prescription in and out
    clinic          a clearance, a stored alert and its "seen" note, the patient list
    accounts        login in, the signed-in account out
    export          the "all my data" file
    fields          one rule per input field (Pain, Location, Slug, ...), shared by the models above
    errors          the error answer, and the mapper from a validation error to InvalidInput
"""
