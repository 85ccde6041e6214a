"""Snapshots outside the browser, with Python's own sqlite3 module (the browser tests call this).

  check FILE EXPECTED.json   opens an exported snapshot and checks it: integrity, every row
                             against what the test saved, and the search index; prints a JSON report
  make KIND SOURCE OUT       writes a bad variant of a good snapshot: wal, foreign, newer, hostile
  original SCHEMA.sql OUT    writes a database as the original desktop tool left it, with one testgen row
"""
import json
import shutil
import sqlite3
import sys


def check(path, expected_path):
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    report = {"sqlite_version": sqlite3.sqlite_version}
    report["integrity"] = [row[0] for row in db.execute("PRAGMA integrity_check")]
    report["foreign_key_violations"] = len(db.execute("PRAGMA foreign_key_check").fetchall())
    report["journal_mode_header"] = list(open(path, "rb").read(20)[18:20])
    rows = {row[0]: (row[1], row[2]) for row in db.execute(
        "SELECT t.id, t.kind, d.trajectory FROM trajectories t JOIN trajectory_documents d USING (seq)"
    )}
    report["rows"] = len(rows)
    mismatched = []
    for item in expected["documents"]:
        stored = rows.get(item["id"])
        if stored is None or stored[0] != item["kind"] or json.loads(stored[1]) != item["document"]:
            mismatched.append(item["id"])
    report["mismatched"] = mismatched
    report["testgen_rows"] = db.execute("SELECT count(*) FROM testgen_trajectories").fetchone()[0]
    report["search"] = {}
    for word in expected["search"]:
        found = db.execute(
            "SELECT t.id FROM trajectory_search s JOIN trajectories t ON t.seq = s.rowid"
            " WHERE trajectory_search MATCH ? ORDER BY t.id",
            (word,),
        ).fetchall()
        report["search"][word] = [row[0] for row in found]
    try:
        found = db.execute(
            "SELECT t.id FROM trajectory_search_unsegmented s JOIN trajectories t ON t.seq = s.rowid"
            " WHERE trajectory_search_unsegmented MATCH ? ORDER BY t.id",
            (expected["unsegmented"],),
        ).fetchall()
        report["unsegmented"] = [row[0] for row in found]
    except sqlite3.Error as error:
        report["unsegmented_error"] = str(error)
    print(json.dumps(report))


def make(kind, source, out):
    shutil.copyfile(source, out)
    db = sqlite3.connect(out, isolation_level=None)
    if kind == "wal":
        # Closing checkpoints the log into the file, which keeps saying "WAL" in its header.
        db.execute("PRAGMA journal_mode=WAL")
    elif kind == "foreign":
        db.execute("PRAGMA application_id = 1179602516")  # 'FOXT'
    elif kind == "newer":
        db.execute("INSERT INTO _schema_version (version, applied_at, checksum) VALUES ('999_from_the_future', 'x', NULL)")
    elif kind == "hostile":
        db.executescript(
            """
            CREATE TRIGGER hostile_wipe AFTER INSERT ON trajectories BEGIN DELETE FROM trajectories; END;
            CREATE TRIGGER hostile_block BEFORE DELETE ON trajectories BEGIN SELECT RAISE(ABORT, 'hostile'); END;
            CREATE VIEW hostile_view AS SELECT id FROM trajectories;
            DROP VIEW IF EXISTS trajectory_search_text;
            CREATE VIEW trajectory_search_text AS SELECT seq, 'pwned' AS body, NULL AS unsegmented FROM trajectories;
            """
        )
    else:
        raise SystemExit(f"unknown kind {kind}")
    db.close()
    if kind == "wal":
        with open(out, "rb") as f:
            assert f.read(20)[18:20] == b"\x02\x02", "the file should say WAL in its header"


def original(schema_path, out):
    db = sqlite3.connect(out, isolation_level=None)
    with open(schema_path, encoding="utf-8") as f:
        db.executescript(f.read())
    document = {
        "session_id": "original-1", "task_id": "regex-log", "task_description": "Match dates in log lines",
        "total_tests": 1, "total_rounds": 2, "category_rounds": {"existence": 1}, "comprehensiveness_score": 7,
        "total_tokens_used": 99, "duration_ms": 1000, "tests": [{"id": "t1", "category": "existence", "input": "ls"}],
        "reflections": [], "environment": {"platform": "linux"}, "uncertainties": [], "model_name": "fm",
    }
    db.execute(
        "INSERT INTO trajectories (session_id, schema_version, agent_name, model_name, step_count, total_tokens, trajectory)"
        " VALUES ('original-1', 'testgen-v1.0', 'testgen', 'fm', 0, 99, ?)",
        (json.dumps(document),),
    )
    db.execute(
        "INSERT INTO testgen_trajectories (session_id, task_id, task_description, total_tests, total_rounds,"
        " category_rounds, comprehensiveness_score, total_tokens_used, duration_ms, tests, reflections, environment,"
        " uncertainties) VALUES ('original-1', 'regex-log', 'Match dates in log lines', 1, 2, ?, 7, 99, 1000, ?, '[]', ?, '[]')",
        (json.dumps(document["category_rounds"]), json.dumps(document["tests"]), json.dumps(document["environment"])),
    )
    db.close()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"check": check, "make": make, "original": original}[command](*args)
