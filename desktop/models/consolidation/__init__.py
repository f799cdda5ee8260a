"""汇总下级单位: read many units' workbooks read-only, summarise, total, find problems, keep a review (no Qt).

``sources`` finds and reads the unit files (each untrusted, each read whole or not at all),
``summary`` scores and checks one unit, ``findings`` compares the units with each other,
``totals`` adds them up, ``review`` keeps the reviewer's 复核分 and comments in a file of its
own, and ``run.consolidate`` ties these together for the window, the command line and the reports.
"""
