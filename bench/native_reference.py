"""The native reference of `npm run bench`: the store's own schema (every migrations/*.sql, applied in order)
in a file on disk through Python's sqlite3 (the system's SQLite), written the way the store writes
(src/store/writes.ts: an existence check, the summary row, the document row; the search index by the
schema's triggers), in transactions of 500; then single saves, one transaction each. SQLite's defaults
otherwise (rollback journal, synchronous FULL), with the page size of the WASM build (8192).

Usage: native_reference.py MIGRATIONS_DIR RECORDS_JSONL DB_FILE SINGLES  -> prints one JSON object.
Each RECORDS_JSONL line: [kind, session_id, schema_version, agent_name, agent_version, model_name, step_count,
first_step_at, last_step_at, total_cost_usd, total_tokens, score, id, created_at, updated_at, json].
"""
import glob
import json
import os
import sqlite3
import sys
import time

INSERT_SUMMARY = """INSERT INTO trajectories (kind, session_id, schema_version, agent_name, agent_version, model_name,
  step_count, first_step_at, last_step_at, total_cost_usd, total_tokens, comprehensiveness_score, id, created_at,
  updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq"""
INSERT_DOCUMENT = "INSERT INTO trajectory_documents (seq, trajectory) VALUES (?, ?)"


def save(conn, row):
    conn.execute("SELECT 1 FROM trajectories WHERE id = ?", (row[12],)).fetchone()
    seq = conn.execute(INSERT_SUMMARY, row[:15]).fetchone()[0]
    conn.execute(INSERT_DOCUMENT, (seq, row[15]))


def main():
    migrations, records_file, db_file, singles = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(db_file + suffix):
            os.remove(db_file + suffix)
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute("PRAGMA page_size = 8192")
    for path in sorted(glob.glob(os.path.join(migrations, "*.sql"))):
        with open(path, encoding="utf-8") as f:
            conn.executescript("BEGIN;\n" + f.read() + "\nCOMMIT;")
    conn.execute("PRAGMA foreign_keys = ON")
    with open(records_file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    json_bytes = sum(len(row[15].encode("utf-8")) for row in rows)

    start = time.perf_counter()
    for first in range(0, len(rows), 500):
        conn.execute("BEGIN IMMEDIATE")
        for row in rows[first:first + 500]:
            save(conn, row)
        conn.execute("COMMIT")
    bulk_ms = (time.perf_counter() - start) * 1000

    singles_ms = []
    for i in range(singles):
        row = list(rows[i % len(rows)])
        row[12] = "native-single-%d" % i
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        save(conn, row)
        conn.execute("COMMIT")
        singles_ms.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    hits = conn.execute(
        "SELECT rowid FROM trajectory_search WHERE trajectory_search MATCH 'timeout' ORDER BY rank LIMIT 50"
    ).fetchall()
    search_ms = (time.perf_counter() - start) * 1000
    conn.close()
    print(json.dumps({
        "sqliteVersion": sqlite3.sqlite_version,
        "count": len(rows),
        "bulkMs": bulk_ms,
        "jsonBytes": json_bytes,
        "singlesMs": singles_ms,
        "searchMs": search_ms,
        "searchHits": len(hits),
        "fileBytes": os.path.getsize(db_file),
    }))


if __name__ == "__main__":
    main()
