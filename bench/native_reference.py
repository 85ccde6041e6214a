"""The native reference of `npm run bench`: the store's own schema (every migrations/*.sql, applied in order)
in a file on disk through Python's sqlite3 (the system's SQLite), written with the store's own statements
(STATEMENTS_JSON, exported by src/store/identity.ts, writes.ts and search-index.ts), in the order a batch of new
documents runs them (src/store/store.ts saveBatch): for each document the existence check, the summary INSERT (the
store knows from the check that no row has the id, so it tries no UPDATE first) and the document; then, at the end
of the batch's transaction, the search text of each (the body, and the unsegmented text when there is any) that the
store extracted in JS at save time (search-index.ts SearchTextWrites says why at the end). Transactions of 500;
then single saves, one transaction each. The journal set-up of the store's worker (src/worker/databases.ts:
exclusive locking, WAL, synchronous FULL) and the page size of the WASM build (8192).

Usage: native_reference.py MIGRATIONS_DIR STATEMENTS_JSON RECORDS_JSONL DB_FILE SINGLES  -> prints one JSON object.
Each RECORDS_JSONL line: {"values": [the 14 summary values saveRecord binds first], "id", "createdAt",
"updatedAt", "json", "body", "unsegmented"}.
"""
import glob
import json
import os
import sqlite3
import sys
import time


def save_rows(conn, sql, r):
    """The summary and document rows of a new document; returns its seq."""
    conn.execute(sql["exists"], (r["id"],)).fetchone()
    seq = conn.execute(
        sql["insertSummary"], r["values"] + [r["id"], r["createdAt"], r["updatedAt"], r["updatedAt"]]
    ).fetchone()[0]
    conn.execute(sql["insertDocument"], (seq, r["json"]))
    return seq


def save_search_text(conn, sql, seq, r):
    conn.execute(sql["insertBody"], (seq, r["body"]))
    if r["unsegmented"] is not None:
        conn.execute(sql["insertUnsegmented"], (seq, r["unsegmented"]))


def save(conn, sql, rows):
    """A batch of new documents (one transaction, which the caller holds): their rows, then their search text."""
    seqs = [save_rows(conn, sql, r) for r in rows]
    for seq, r in zip(seqs, rows):
        save_search_text(conn, sql, seq, r)


def main():
    migrations, statements_file, records_file, db_file = sys.argv[1:5]
    singles = int(sys.argv[5])
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(db_file + suffix):
            os.remove(db_file + suffix)
    with open(statements_file, encoding="utf-8") as f:
        sql = json.load(f)
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    for path in sorted(glob.glob(os.path.join(migrations, "*.sql"))):
        with open(path, encoding="utf-8") as f:
            conn.executescript("BEGIN;\n" + f.read() + "\nCOMMIT;")
    conn.execute("PRAGMA foreign_keys = ON")
    with open(records_file, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    json_bytes = sum(len(r["json"].encode("utf-8")) for r in rows)

    start = time.perf_counter()
    for first in range(0, len(rows), 500):
        conn.execute("BEGIN IMMEDIATE")
        save(conn, sql, rows[first:first + 500])
        conn.execute("COMMIT")
    bulk_ms = (time.perf_counter() - start) * 1000

    singles_ms = []
    for i in range(singles):
        r = dict(rows[i % len(rows)])
        r["id"] = "native-single-%d" % i
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        save(conn, sql, [r])
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
