"""Triggers that keep an approval route in order, whoever writes to the table.

A CheckConstraint sees one row, so it cannot compare a step with the steps before it. These
triggers do, on SQLite and on PostgreSQL: a step may carry a decision only when every step
before it on the same report has approved the report (approved, or approved with conditions),
and a step may not lose its approval while a step after it carries a decision. A refused
write raises an error whose message starts with "route_out_of_order"; the services and forms
refuse the same writes first, with a message next to the field (RouteStep.clean()).
"""

from django.db import migrations

TABLE = "committee_routestep"
PASSING = "('approved', 'approved_conditions')"
MESSAGE = ("route_out_of_order: a body decides only after every body before it has "
           "approved the report")



def broken(other: str) -> str:
    """The condition of an out-of-order write: the new row has a decision but an earlier step
    has not approved, or the new row has not approved but a later step has a decision.
    ``other`` is the null-safe "not this row" operator (NEW.id is null before an insert)."""
    others = f"s.report_id = NEW.report_id AND s.id {other} NEW.id"
    return (f"(NEW.decision <> '' AND EXISTS (SELECT 1 FROM {TABLE} s WHERE {others} AND "
            f"s.number < NEW.number AND s.decision NOT IN {PASSING})) OR (NEW.decision NOT IN "
            f"{PASSING} AND EXISTS (SELECT 1 FROM {TABLE} s WHERE {others} AND "
            f"s.number > NEW.number AND s.decision <> ''))")


SQLITE = [
    f"CREATE TRIGGER committee_route_order_insert BEFORE INSERT ON {TABLE} "
    f"WHEN {broken('IS NOT')} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER committee_route_order_update BEFORE UPDATE OF decision, number, report_id "
    f"ON {TABLE} WHEN {broken('IS NOT')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS committee_route_order_insert;",
               "DROP TRIGGER IF EXISTS committee_route_order_update;"]

POSTGRESQL = [
    f"""CREATE FUNCTION committee_route_order_check() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM committee_committeereport WHERE id = NEW.report_id FOR UPDATE;
    IF {broken("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;""",
    f"CREATE TRIGGER committee_route_order BEFORE INSERT OR UPDATE OF decision, number, "
    f"report_id ON {TABLE} FOR EACH ROW EXECUTE FUNCTION committee_route_order_check();",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS committee_route_order ON {TABLE};",
                   "DROP FUNCTION IF EXISTS committee_route_order_check();"]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_DROP), "postgresql": (POSTGRESQL, POSTGRESQL_DROP)}


def _run(schema_editor, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No route order triggers written for {vendor}.")
    for statement in STATEMENTS[vendor][which]:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):

    dependencies = [("committee", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
