"""Triggers that keep a grant's money adding up, whoever writes to the tables.

A CheckConstraint sees one row, so it cannot compare a sum of rows with another table. These
triggers do, on SQLite and on PostgreSQL:
- the allocations of a grant never add up to more than the grant (checked when an allocation
  is added, changed or moved to another grant, and when the grant's amount is lowered);
- the spend against an allocation never adds up to more than the allocation (likewise).
A refused write raises an error whose message starts with "grant_over_allocated" or
"allocation_overspent" (grants.models), which the forms turn into a message.

SQLite compares whole pennies (amounts are stored with NUMERIC affinity and may be read as
floating point there); PostgreSQL's numeric is exact. On PostgreSQL the trigger locks the
parent row first, so two allocations written at the same time are checked one after the
other; SQLite has one writer at a time.
"""

from django.db import migrations

# (name, parent table, child table, column linking child to parent, error)
RULES = [
    ("grant_allocations", "grants_grant", "grants_allocation", "grant_id",
     "grant_over_allocated"),
    ("allocation_spends", "grants_allocation", "grants_spend", "allocation_id",
     "allocation_overspent"),
]


def _pennies(expression: str) -> str:
    return f"CAST(ROUND({expression} * 100) AS INTEGER)"


def sqlite_statements(name, parent, child, link, error) -> list[str]:
    child_sum = (f"(SELECT COALESCE(SUM({_pennies('amount')}), 0) FROM {child} "
                 f"WHERE {link} = NEW.{link}")
    parent_amount = f"(SELECT {_pennies('amount')} FROM {parent} WHERE id = NEW.{link})"
    raise_ = f"SELECT RAISE(ABORT, '{error}: the {child.split('_')[1]}s would exceed the " \
             f"{parent.split('_')[1]}');"
    return [
        f"CREATE TRIGGER {name}_insert BEFORE INSERT ON {child} "
        f"WHEN {child_sum}) + {_pennies('NEW.amount')} > {parent_amount} "
        f"BEGIN {raise_} END;",
        f"CREATE TRIGGER {name}_update BEFORE UPDATE OF amount, {link} ON {child} "
        f"WHEN {child_sum} AND id <> OLD.id) + {_pennies('NEW.amount')} > {parent_amount} "
        f"BEGIN {raise_} END;",
        f"CREATE TRIGGER {name}_parent_update BEFORE UPDATE OF amount ON {parent} "
        f"WHEN (SELECT COALESCE(SUM({_pennies('amount')}), 0) FROM {child} "
        f"WHERE {link} = NEW.id) > {_pennies('NEW.amount')} "
        f"BEGIN {raise_} END;",
    ]


def postgresql_statements(name, parent, child, link, error) -> list[str]:
    message = f"{error}: the {child.split('_')[1]}s would exceed the {parent.split('_')[1]}"
    return [
        f"""CREATE FUNCTION {name}_child_check() RETURNS trigger AS $$
DECLARE
    limit_amount numeric;
    others numeric;
BEGIN
    SELECT amount INTO limit_amount FROM {parent} WHERE id = NEW.{link} FOR UPDATE;
    SELECT COALESCE(SUM(amount), 0) INTO others FROM {child}
        WHERE {link} = NEW.{link} AND id IS DISTINCT FROM NEW.id;
    IF others + NEW.amount > limit_amount THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;""",
        f"CREATE TRIGGER {name}_child BEFORE INSERT OR UPDATE OF amount, {link} ON {child} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_child_check();",
        f"""CREATE FUNCTION {name}_parent_check() RETURNS trigger AS $$
BEGIN
    IF (SELECT COALESCE(SUM(amount), 0) FROM {child} WHERE {link} = NEW.id) > NEW.amount THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;""",
        f"CREATE TRIGGER {name}_parent BEFORE UPDATE OF amount ON {parent} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_parent_check();",
    ]


def sqlite_drops(name, parent, child, link, error) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}_{suffix};"
            for suffix in ("insert", "update", "parent_update")]


def postgresql_drops(name, parent, child, link, error) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}_child ON {child};",
            f"DROP TRIGGER IF EXISTS {name}_parent ON {parent};",
            f"DROP FUNCTION IF EXISTS {name}_child_check();",
            f"DROP FUNCTION IF EXISTS {name}_parent_check();"]


WRITERS = {"sqlite": (sqlite_statements, sqlite_drops),
           "postgresql": (postgresql_statements, postgresql_drops)}


def _run(schema_editor, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in WRITERS:
        raise RuntimeError(f"No grant money triggers written for {vendor}.")
    for rule in RULES:
        for statement in WRITERS[vendor][which](*rule):
            schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):

    dependencies = [("grants", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
