"""Pure rules: screening, planning, doses and progression, session scripts, progress and alerts, breaks.

Nothing here imports web, database, CLI or clock code; time is always an argument."""
