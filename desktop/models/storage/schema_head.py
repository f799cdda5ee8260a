"""The ``CREATE`` statements the migrations leave at the head revision, in order (generated).

Shipped so that a new workbook file is made with the ``sqlite3`` module alone (``fresh.py``), without
importing SQLAlchemy and Alembic and running every migration (~0.4 s of ``jixiao import``). Regenerate
with ``python -m desktop.models.storage.schema_check`` after adding a migration;
``tests/models/test_fresh_file.py`` checks that this matches the migrations.
"""

from __future__ import annotations

HEAD_SQL: tuple[str, ...] = (
    "CREATE TABLE alembic_version (\n"
    "\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ")",
    "CREATE TABLE workbook (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tunit_code TEXT NOT NULL, \n"
    "\tunit_name TEXT NOT NULL, \n"
    "\tyear INTEGER, ruleset TEXT DEFAULT 'central' NOT NULL, template TEXT DEFAULT 'central' NOT NULL, file_id "
    "TEXT DEFAULT '' NOT NULL, \n"
    "\tCONSTRAINT pk_workbook PRIMARY KEY (id)\n"
    ")",
    "CREATE TABLE form (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tworkbook_id INTEGER NOT NULL, \n"
    "\tposition INTEGER NOT NULL, \n"
    "\tkind TEXT NOT NULL, \n"
    "\ttitle TEXT NOT NULL, \n"
    "\tcode TEXT, \n"
    "\thas_unit BOOLEAN NOT NULL, \n"
    "\tunit_code TEXT, \n"
    "\tunit_name TEXT, \n"
    "\tdepartment TEXT, \n"
    "\tmoney_unit TEXT, \n"
    "\tpurpose TEXT, \n"
    "\thas_budget BOOLEAN NOT NULL, \n"
    "\tbudget_amount TEXT, \n"
    "\tbudget_fiscal TEXT, \n"
    "\tbudget_other TEXT, \n"
    "\thas_funds BOOLEAN NOT NULL, \n"
    "\texec_weight TEXT, \n"
    "\texec_score TEXT, \n"
    "\thas_spending_plan BOOLEAN NOT NULL, \n"
    "\toverall_target TEXT, \n"
    "\toverall_actual TEXT, \n"
    "\thas_goals BOOLEAN NOT NULL, \n"
    "\tdeviation TEXT, \n"
    "\tconclusion TEXT, \n"
    "\tnotes TEXT, \n"
    "\thas_signoff BOOLEAN NOT NULL, \n"
    "\tsignoff_head TEXT, \n"
    "\tsignoff_preparer TEXT, \n"
    "\tsignoff_phone TEXT, \n"
    "\tsignoff_date TEXT, printed_total TEXT, \n"
    "\tCONSTRAINT pk_form PRIMARY KEY (id), \n"
    "\tCONSTRAINT fk_form_workbook_id_workbook FOREIGN KEY(workbook_id) REFERENCES workbook (id) ON DELETE "
    "CASCADE\n"
    ")",
    "CREATE INDEX ix_form_workbook_id ON form (workbook_id)",
    "CREATE TABLE fund_line (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tform_id INTEGER NOT NULL, \n"
    "\tposition INTEGER NOT NULL, \n"
    "\tline TEXT NOT NULL, \n"
    "\tinitial TEXT, \n"
    "\tfull_year TEXT, \n"
    "\texecuted TEXT, \n"
    "\tCONSTRAINT pk_fund_line PRIMARY KEY (id), \n"
    "\tCONSTRAINT fk_fund_line_form_id_form FOREIGN KEY(form_id) REFERENCES form (id) ON DELETE CASCADE\n"
    ")",
    "CREATE INDEX ix_fund_line_form_position ON fund_line (form_id, position)",
    "CREATE TABLE spending_step (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tform_id INTEGER NOT NULL, \n"
    "\tposition INTEGER NOT NULL, \n"
    '\t"by" TEXT NOT NULL, \n'
    "\tpercent TEXT, \n"
    "\tCONSTRAINT pk_spending_step PRIMARY KEY (id), \n"
    "\tCONSTRAINT fk_spending_step_form_id_form FOREIGN KEY(form_id) REFERENCES form (id) ON DELETE CASCADE\n"
    ")",
    "CREATE INDEX ix_spending_step_form_position ON spending_step (form_id, position)",
    "CREATE TABLE goal (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tform_id INTEGER NOT NULL, \n"
    "\tposition INTEGER NOT NULL, \n"
    "\tno INTEGER NOT NULL, \n"
    "\ttarget TEXT, \n"
    "\tactual TEXT, \n"
    "\tCONSTRAINT pk_goal PRIMARY KEY (id), \n"
    "\tCONSTRAINT fk_goal_form_id_form FOREIGN KEY(form_id) REFERENCES form (id) ON DELETE CASCADE\n"
    ")",
    "CREATE INDEX ix_goal_form_position ON goal (form_id, position)",
    "CREATE TABLE indicator (\n"
    "\tid INTEGER NOT NULL, \n"
    "\tform_id INTEGER NOT NULL, \n"
    "\tposition INTEGER NOT NULL, \n"
    "\tlevel1 TEXT NOT NULL, \n"
    "\tlevel2 TEXT NOT NULL, \n"
    "\tname TEXT NOT NULL, \n"
    "\tdescription TEXT, \n"
    "\ttarget TEXT, \n"
    "\tbasis TEXT, \n"
    "\tactual TEXT, \n"
    "\tweight TEXT, \n"
    "\tscore TEXT, \n"
    "\tdeviation TEXT, \n"
    "\tgoal INTEGER, band TEXT, \n"
    "\tCONSTRAINT pk_indicator PRIMARY KEY (id), \n"
    "\tCONSTRAINT fk_indicator_form_id_form FOREIGN KEY(form_id) REFERENCES form (id) ON DELETE CASCADE\n"
    ")",
    "CREATE INDEX ix_indicator_form_position ON indicator (form_id, position)",
)
