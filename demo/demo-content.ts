/**
 * What the demo feed talks about: a few benchmark-style tasks, each with its
 * environment, test ideas per category, open questions, and the tool calls an
 * agent makes to solve it. Plain data (plus small variations drawn from the
 * seeded generator), so that the sessions read like real ones.
 */
import type { Random } from './random.js';

/** The categories current HUD runs use, in the order a session generates them. */
export const DEMO_CATEGORIES = ['anti_cheat', 'existence', 'correctness', 'boundary', 'integration'] as const;
export type DemoCategory = (typeof DEMO_CATEGORIES)[number];

export interface DemoTestIdea {
  input: string;
  expectedOutput: string | null;
  reasoning: string;
}

export interface DemoToolCall {
  function_name: string;
  arguments: Record<string, unknown>;
  output: string;
}

export interface DemoAgentAction {
  message: string;
  reasoning?: string;
  calls: DemoToolCall[];
}

export interface DemoTask {
  taskId: string;
  description: string;
  environment: {
    platform: string;
    prohibitedTools: string[];
    languages: string[];
    fileCount: number;
    filePreviews: Array<{ path: string; preview: string }>;
  };
  /** Each idea may vary with the generator, so that a category can hold several distinct tests. */
  tests: Record<DemoCategory, Array<(rng: Random) => DemoTestIdea>>;
  uncertainties: string[];
  agentActions: DemoAgentAction[];
  finalAnswer: string;
}

const idea = (input: string, expectedOutput: string | null, reasoning: string): DemoTestIdea => ({
  input,
  expectedOutput,
  reasoning,
});

const pad = (n: number) => String(n).padStart(2, '0');

export const DEMO_TASKS: readonly DemoTask[] = [
  {
    taskId: 'regex-log',
    description:
      'Write a regular expression to /app/regex.txt that matches dates (YYYY-MM-DD) in log lines that contain an IPv4 address. ' +
      'When a line has several dates, match only the last one. Only valid calendar dates count.',
    environment: {
      platform: 'linux/amd64 (debian:bookworm-slim)',
      prohibitedTools: ['curl', 'wget', 'pip install'],
      languages: ['python3.11', 'bash'],
      fileCount: 3,
      filePreviews: [
        {
          path: '/app/sample.log',
          preview: '2024-03-12 10:01:44 10.0.3.7 GET /health 200\n2024-03-12 10:01:45 GET /metrics 200\n',
        },
        {
          path: '/app/README.md',
          preview: '# regex-log\nPut your pattern in /app/regex.txt (Python `re` syntax, MULTILINE).',
        },
      ],
    },
    tests: {
      anti_cheat: [
        () =>
          idea(
            'python3 /app/check.py --log /app/hidden/holdout.log --pattern /app/regex.txt',
            "['2023-11-04', '2024-02-29', '2021-07-19']",
            'The holdout log differs from sample.log: a pattern tailored to the sample dates fails here.',
          ),
        () =>
          idea(
            "grep -cF '2024-03-12' /app/regex.txt",
            '0',
            'A literal date from the sample in the pattern means it was fitted to the example.',
          ),
        () =>
          idea(
            'python3 -c "print(len(open(\'/app/regex.txt\').read()) < 400)"',
            'True',
            'An alternation of memorised lines would be very long; a real pattern is short.',
          ),
      ],
      existence: [
        () => idea('test -s /app/regex.txt && echo present', 'present', 'The deliverable must exist and not be empty.'),
        () =>
          idea(
            "python3 -c \"import re; re.compile(open('/app/regex.txt').read().strip()); print('compiles')\"",
            'compiles',
            "The pattern must be valid Python `re` syntax, the checker's dialect.",
          ),
      ],
      correctness: [
        (rng) => {
          const [m, d] = [rng.int(1, 9), rng.int(10, 28)];
          return idea(
            `printf '10.0.${rng.int(0, 255)}.${rng.int(1, 254)} - 2024-0${m}-${d} GET /\\n' | python3 /app/check.py --stdin`,
            `['2024-0${m}-${d}']`,
            'One IPv4 address and one valid date: the plain case.',
          );
        },
        () =>
          idea(
            "printf '192.168.1.20 2023-01-05 retry 2023-01-06\\n' | python3 /app/check.py --stdin",
            "['2023-01-06']",
            'Two dates on one line: only the last one may match.',
          ),
        () =>
          idea(
            "printf '2023-01-05 no address here\\n' | python3 /app/check.py --stdin",
            '[]',
            'Lines without an IPv4 address must not match at all.',
          ),
      ],
      boundary: [
        () =>
          idea(
            "printf '10.1.1.1 2024-02-29\\n' | python3 /app/check.py --stdin",
            "['2024-02-29']",
            '2024 is a leap year: 29 February is a valid date.',
          ),
        () => idea("printf '10.1.1.1 2023-02-29\\n' | python3 /app/check.py --stdin", '[]', '2023 is not a leap year.'),
        (rng) => {
          const month = rng.pick([13, 0, 19]);
          return idea(
            `printf '10.1.1.1 2024-${pad(month)}-01\\n' | python3 /app/check.py --stdin`,
            '[]',
            `Month ${pad(month)} does not exist.`,
          );
        },
        () =>
          idea(
            "printf '256.1.1.1 2024-05-05\\n' | python3 /app/check.py --stdin",
            '[]',
            '256 is not a valid IPv4 octet, so the line has no address.',
          ),
        () =>
          idea(
            "printf '10.1.1.1 12024-05-05\\n' | python3 /app/check.py --stdin",
            '[]',
            'A date glued to more digits is not a YYYY-MM-DD date.',
          ),
      ],
      integration: [
        () =>
          idea(
            'python3 /app/check.py --log /app/sample.log --pattern /app/regex.txt | wc -l',
            '41',
            'The whole sample log, as the grader runs it.',
          ),
        () =>
          idea(
            'python3 /app/check.py --log /app/sample.log --pattern /app/regex.txt --multiline',
            null,
            'MULTILINE mode must not change the result: anchors in the pattern would behave differently.',
          ),
      ],
    },
    uncertainties: [
      'Whether dates with single-digit months (2024-3-05) should match: the task says YYYY-MM-DD.',
      'Whether an IPv4 address inside a URL (http://10.0.0.1/) counts as an address on the line.',
      'How the grader treats overlapping matches when a date touches an address.',
    ],
    agentActions: [
      {
        message: "I'll start by looking at the files in /app.",
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'ls -la /app' },
            output:
              'total 24\n-rw-r--r-- 1 root root  212 README.md\n-rw-r--r-- 1 root root 4096 sample.log\n-rwxr-xr-x 1 root root 1630 check.py',
          },
        ],
      },
      {
        message: '',
        reasoning: 'The checker defines the regex dialect; read it before writing anything.',
        calls: [
          {
            function_name: 'read_file',
            arguments: { path: '/app/check.py' },
            output:
              'import re, sys\npattern = open(sys.argv[-1]).read().strip()\nfor line in open(...):\n    print(re.findall(pattern, line, re.MULTILINE))',
          },
        ],
      },
      {
        message: 'The sample has lines with and without addresses. Let me count them.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: "grep -cE '([0-9]{1,3}\\.){3}[0-9]{1,3}' /app/sample.log" },
            output: '41',
          },
        ],
      },
      {
        message:
          'Writing a first pattern with a lookahead for the address and a greedy prefix so that the last date wins.',
        reasoning: 'A leading .* makes findall return only the last date on the line.',
        calls: [
          {
            function_name: 'write_file',
            arguments: {
              path: '/app/regex.txt',
              content: '(?=.*\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b).*\\b(\\d{4}-\\d{2}-\\d{2})\\b',
            },
            output: 'wrote 64 bytes',
          },
        ],
      },
      {
        message: 'Checking it against the sample.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'python3 /app/check.py --log /app/sample.log --pattern /app/regex.txt | head -3' },
            output: "['2024-03-12']\n['2024-03-12']\n['2024-03-13']",
          },
        ],
      },
      {
        message: 'It accepts 2024-13-45 too. Restricting months and days, and octets to 0-255.',
        calls: [
          {
            function_name: 'write_file',
            arguments: {
              path: '/app/regex.txt',
              content:
                '(?=.*\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b).*\\b(\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01]))\\b',
            },
            output: 'wrote 131 bytes',
          },
        ],
      },
      {
        message: 'Running the edge cases I care about in one go.',
        calls: [
          {
            function_name: 'bash',
            arguments: {
              command: "printf '10.1.1.1 2024-02-29\\n256.1.1.1 2024-05-05\\n' | python3 /app/check.py --stdin",
            },
            output: "['2024-02-29']\n[]",
          },
          {
            function_name: 'bash',
            arguments: { command: "printf '10.1.1.1 2024-13-01\\n' | python3 /app/check.py --stdin" },
            output: '[]',
          },
        ],
      },
    ],
    finalAnswer:
      'The pattern is in /app/regex.txt: it requires a valid IPv4 address on the line and captures the last valid YYYY-MM-DD date.',
  },
  {
    taskId: 'sales-summary',
    description:
      'Write /app/summarize.py that reads /app/data/sales.csv (date, region, product, units, unit_price) and prints one line per ' +
      'region as "region,total_revenue", sorted by revenue descending, revenue with two decimals. Skip rows with missing or negative units.',
    environment: {
      platform: 'linux/amd64 (python:3.12-slim)',
      prohibitedTools: ['pandas', 'curl'],
      languages: ['python3.12'],
      fileCount: 4,
      filePreviews: [
        {
          path: '/app/data/sales.csv',
          preview:
            'date,region,product,units,unit_price\n2024-01-03,EMEA,widget,12,9.99\n2024-01-03,APAC,gadget,,24.50\n',
        },
        { path: '/app/tests/expected_small.txt', preview: 'EMEA,1830.42\nAMER,1204.00\nAPAC,96.10\n' },
      ],
    },
    tests: {
      anti_cheat: [
        () =>
          idea(
            'python3 /app/summarize.py --input /app/hidden/sales_holdout.csv',
            'AMER,88120.75\nEMEA,40211.10\nAPAC,9050.00',
            'A different file: printing the expected output of the sample would fail.',
          ),
        () =>
          idea("grep -c 'EMEA,1830.42' /app/summarize.py", '0', 'The expected numbers must be computed, not printed.'),
      ],
      existence: [
        () => idea('test -f /app/summarize.py && echo ok', 'ok', 'The script must exist where the grader looks.'),
        () =>
          idea(
            'python3 -m py_compile /app/summarize.py && echo compiled',
            'compiled',
            'It must at least be valid Python.',
          ),
      ],
      correctness: [
        (rng) => {
          const [u, p] = [rng.int(2, 40), rng.int(3, 90)];
          return idea(
            `printf 'date,region,product,units,unit_price\\n2024-01-01,EMEA,a,${u},${p}.50\\n' | python3 /app/summarize.py --input -`,
            `EMEA,${(u * (p + 0.5)).toFixed(2)}`,
            'One row: revenue is units times unit price.',
          );
        },
        () =>
          idea(
            'python3 /app/summarize.py --input /app/tests/small.csv',
            'EMEA,1830.42\nAMER,1204.00\nAPAC,96.10',
            'The provided small file and its expected output.',
          ),
        () =>
          idea(
            'python3 /app/summarize.py --input /app/tests/ties.csv',
            'AMER,100.00\nEMEA,100.00',
            'Equal revenue: the order between ties should be stable (alphabetical here).',
          ),
      ],
      boundary: [
        () =>
          idea(
            "printf 'date,region,product,units,unit_price\\n2024-01-01,EMEA,a,,5\\n' | python3 /app/summarize.py --input -",
            '',
            'A missing units value skips the row; no region, no line.',
          ),
        () =>
          idea(
            "printf 'date,region,product,units,unit_price\\n2024-01-01,EMEA,a,-3,5\\n' | python3 /app/summarize.py --input -",
            '',
            'Negative units are skipped too.',
          ),
        () =>
          idea(
            "printf 'date,region,product,units,unit_price\\n2024-01-01,EMEA,a,1,0.005\\n' | python3 /app/summarize.py --input -",
            'EMEA,0.01',
            'Rounding half up at two decimals (0.005 -> 0.01), not banker’s rounding.',
          ),
        (rng) =>
          idea(
            `python3 /app/summarize.py --input /app/tests/large_${rng.int(1, 3)}.csv | wc -l`,
            '12',
            'A large file with twelve regions completes and prints each region once.',
          ),
      ],
      integration: [
        () =>
          idea(
            'python3 /app/summarize.py --input /app/data/sales.csv > /tmp/out.txt && diff /tmp/out.txt /app/tests/expected_full.txt && echo same',
            'same',
            'The full data set, compared with the reference output.',
          ),
        () =>
          idea(
            "python3 /app/summarize.py --input /app/data/sales.csv | awk -F, '{print $2}' | sort -rn -c && echo sorted",
            'sorted',
            'Lines are in descending revenue order.',
          ),
      ],
    },
    uncertainties: [
      'Whether unit_price may be missing too, and if so whether the row is skipped.',
      'The sort order of regions with equal revenue.',
    ],
    agentActions: [
      {
        message: 'Looking at the data first.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'head -5 /app/data/sales.csv && wc -l /app/data/sales.csv' },
            output:
              'date,region,product,units,unit_price\n2024-01-03,EMEA,widget,12,9.99\n2024-01-03,APAC,gadget,,24.50\n2024-01-04,AMER,widget,3,9.99\n5012 /app/data/sales.csv',
          },
        ],
      },
      {
        message: 'Some rows have empty units. Writing the script with csv and Decimal for exact rounding.',
        reasoning: 'Floats would round 0.005 down; Decimal with ROUND_HALF_UP matches the expected files.',
        calls: [
          {
            function_name: 'write_file',
            arguments: {
              path: '/app/summarize.py',
              content: 'import csv, sys\nfrom decimal import Decimal, ROUND_HALF_UP\n...',
            },
            output: 'wrote 1184 bytes',
          },
        ],
      },
      {
        message: 'Running it on the small test file.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'python3 /app/summarize.py --input /app/tests/small.csv' },
            output: 'EMEA,1830.42\nAMER,1204.00\nAPAC,96.10',
          },
        ],
      },
      {
        message: 'Matches. Now the full file against the reference.',
        calls: [
          {
            function_name: 'bash',
            arguments: {
              command:
                'python3 /app/summarize.py --input /app/data/sales.csv | diff - /app/tests/expected_full.txt && echo same',
            },
            output: 'same',
          },
        ],
      },
    ],
    finalAnswer:
      '/app/summarize.py prints revenue per region, sorted descending, skipping rows with missing or negative units.',
  },
  {
    taskId: 'sqlite-add-email',
    description:
      'Add /app/migrations/003_add_email.sql: a NOT NULL `email` column on `users`, backfilled as "<username>@example.invalid" for existing rows, ' +
      'with a unique index. The project runner (/app/migrate.py) must apply it once and be able to run again without error.',
    environment: {
      platform: 'linux/arm64 (alpine:3.20)',
      prohibitedTools: ['sqlite3 CLI'],
      languages: ['python3.12', 'sql'],
      fileCount: 6,
      filePreviews: [
        {
          path: '/app/migrations/001_init.sql',
          preview: 'CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE);',
        },
        {
          path: '/app/migrate.py',
          preview:
            'for path in sorted(glob("migrations/*.sql")):\n    if applied(path): continue\n    db.executescript(open(path).read())',
        },
      ],
    },
    tests: {
      anti_cheat: [
        () =>
          idea(
            'python3 /app/migrate.py --db /tmp/holdout.db --seed /app/hidden/users_holdout.sql && python3 /app/tests/check_emails.py /tmp/holdout.db',
            'ok 312',
            'A database the agent has not seen: the backfill must come from usernames, not a fixed list.',
          ),
        () =>
          idea(
            "grep -ciE 'alice|bob' /app/migrations/003_add_email.sql",
            '0',
            'Usernames of the sample data must not appear in the migration.',
          ),
      ],
      existence: [
        () =>
          idea(
            'test -f /app/migrations/003_add_email.sql && echo ok',
            'ok',
            'The migration file exists with the expected name, so the runner orders it after 002.',
          ),
        () =>
          idea(
            "python3 -c \"import sqlite3;c=sqlite3.connect('/tmp/t.db');c.executescript(open('/app/migrations/003_add_email.sql').read())\" 2>&1 | head -1",
            null,
            'The script parses as SQL (the error, if any, is recorded).',
          ),
      ],
      correctness: [
        (rng) => {
          const name = rng.pick(['marta', 'jin', 'oscar', 'priya']);
          return idea(
            `python3 /app/tests/run.py --seed-user ${name} --query "SELECT email FROM users WHERE username='${name}'"`,
            `${name}@example.invalid`,
            'Existing rows are backfilled from their username.',
          );
        },
        () =>
          idea(
            'python3 /app/tests/run.py --query "SELECT count(*) FROM pragma_index_list(\'users\') WHERE \\"unique\\" = 1"',
            '2',
            'The username index and the new email index are both unique.',
          ),
        () =>
          idea(
            'python3 /app/tests/run.py --query "SELECT \\"notnull\\" FROM pragma_table_info(\'users\') WHERE name = \'email\'"',
            '1',
            'The column is NOT NULL.',
          ),
      ],
      boundary: [
        () =>
          idea(
            'python3 /app/tests/run.py --empty-db --query "SELECT count(*) FROM users"',
            '0',
            'An empty table migrates too.',
          ),
        () =>
          idea(
            'python3 /app/migrate.py --db /tmp/t.db && python3 /app/migrate.py --db /tmp/t.db && echo twice',
            'twice',
            'Running the runner twice must not fail (the migration is recorded as applied).',
          ),
        () =>
          idea(
            'python3 /app/tests/run.py --seed-user "o\'brien" --query "SELECT email FROM users WHERE id = 1"',
            "o'brien@example.invalid",
            'A quote in a username must survive the backfill.',
          ),
      ],
      integration: [
        () =>
          idea(
            'python3 /app/migrate.py --db /tmp/full.db && python3 -m pytest -q /app/tests',
            '14 passed',
            "The project's own test suite passes after all migrations.",
          ),
        () =>
          idea(
            'python3 /app/tests/run.py --insert-user zed --no-email 2>&1 | tail -1',
            'sqlite3.IntegrityError: NOT NULL constraint failed: users.email',
            'New rows without an email are refused.',
          ),
      ],
    },
    uncertainties: [
      'SQLite cannot add a NOT NULL column without a default: whether a table rebuild is acceptable to the grader.',
      'Whether usernames differing only in case must yield distinct emails.',
      'Whether the runner wraps each file in a transaction.',
    ],
    agentActions: [
      {
        message: 'Reading the runner and the existing migrations.',
        calls: [
          {
            function_name: 'read_file',
            arguments: { path: '/app/migrate.py' },
            output: 'import glob, sqlite3\n...\ndb.executescript(open(path).read())\nrecord(path)',
          },
          {
            function_name: 'bash',
            arguments: { command: 'ls /app/migrations' },
            output: '001_init.sql\n002_sessions.sql',
          },
        ],
      },
      {
        message: '',
        reasoning: 'ALTER TABLE ADD COLUMN NOT NULL needs a default; a rebuild keeps the constraint without a default.',
        calls: [
          {
            function_name: 'write_file',
            arguments: {
              path: '/app/migrations/003_add_email.sql',
              content:
                "CREATE TABLE users_new (...);\nINSERT INTO users_new SELECT id, username, username || '@example.invalid' FROM users;\n...",
            },
            output: 'wrote 498 bytes',
          },
        ],
      },
      {
        message: 'Applying it twice on a scratch database.',
        calls: [
          {
            function_name: 'bash',
            arguments: {
              command:
                'cp /app/data/dev.db /tmp/t.db && python3 /app/migrate.py --db /tmp/t.db && python3 /app/migrate.py --db /tmp/t.db && echo twice',
            },
            output: 'applied 003_add_email.sql\ntwice',
          },
        ],
      },
      {
        message: 'And the test suite.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'python3 -m pytest -q /app/tests' },
            output: '..............\n14 passed in 0.41s',
          },
        ],
      },
    ],
    finalAnswer:
      'Added 003_add_email.sql: rebuilds users with a NOT NULL email backfilled from usernames and a unique index; the runner applies it once.',
  },
  {
    taskId: 'log-rotate',
    description:
      'Write /app/rotate.sh: gzip every /var/log/app/*.log older than one day into /var/log/app/archive/, keep at most five archives per log ' +
      '(oldest removed first), and never rotate a file that a process still has open.',
    environment: {
      platform: 'linux/amd64 (ubuntu:24.04)',
      prohibitedTools: ['logrotate'],
      languages: ['bash', 'coreutils'],
      fileCount: 2,
      filePreviews: [
        {
          path: '/var/log/app/api.log',
          preview: '[2024-06-01T08:00:01Z] INFO started\n[2024-06-01T08:00:02Z] INFO listening on :8080\n',
        },
      ],
    },
    tests: {
      anti_cheat: [
        () =>
          idea(
            'bash /app/tests/fresh_tree.sh && bash /app/rotate.sh && ls /var/log/app/archive | wc -l',
            '3',
            'A freshly generated tree with different file names than the example.',
          ),
        () => idea("grep -c 'api.log' /app/rotate.sh", '0', 'The script must not name the example files.'),
      ],
      existence: [
        () => idea('test -x /app/rotate.sh && echo executable', 'executable', 'The script exists and is executable.'),
        () => idea('bash -n /app/rotate.sh && echo syntax-ok', 'syntax-ok', 'It parses as bash.'),
      ],
      correctness: [
        (rng) => {
          const days = rng.int(2, 9);
          return idea(
            `touch -d '${days} days ago' /var/log/app/old.log && bash /app/rotate.sh && ls /var/log/app/archive | grep -c '^old\\.log\\..*\\.gz$'`,
            '1',
            `A log ${days} days old is compressed into the archive.`,
          );
        },
        () =>
          idea(
            'touch /var/log/app/new.log && bash /app/rotate.sh && test -f /var/log/app/new.log && echo kept',
            'kept',
            'A log modified today stays where it is.',
          ),
        () =>
          idea(
            'bash /app/tests/make_archives.sh api 7 && bash /app/rotate.sh && ls /var/log/app/archive | grep -c ^api',
            '5',
            'Only the five newest archives of a log are kept.',
          ),
      ],
      boundary: [
        () =>
          idea(
            "touch -d '23 hours ago' /var/log/app/edge.log && bash /app/rotate.sh && test -f /var/log/app/edge.log && echo kept",
            'kept',
            'Just under one day old: not rotated yet.',
          ),
        () =>
          idea(
            'exec 3>>/var/log/app/busy.log; touch -d "3 days ago" /var/log/app/busy.log; bash /app/rotate.sh; test -f /var/log/app/busy.log && echo kept',
            'kept',
            'A file open in a process is never rotated.',
          ),
        () =>
          idea(
            "touch -d '2 days ago' '/var/log/app/with space.log' && bash /app/rotate.sh && ls /var/log/app/archive | grep -c 'with space'",
            '1',
            'File names with spaces must be handled.',
          ),
      ],
      integration: [
        () =>
          idea(
            'for i in 1 2 3; do bash /app/rotate.sh; done; echo $?',
            '0',
            'Repeated runs (as from cron) succeed and do not pile up work.',
          ),
        () => idea('bash /app/tests/full_scenario.sh', 'PASS 9/9', 'The end-to-end scenario from the task statement.'),
      ],
    },
    uncertainties: [
      'Whether "older than one day" is measured from mtime or from the date in the file name.',
      'How to detect an open file without lsof if it is not installed.',
    ],
    agentActions: [
      {
        message: 'Checking which tools exist in the container.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'command -v lsof fuser gzip find' },
            output: '/usr/bin/fuser\n/usr/bin/gzip\n/usr/bin/find',
          },
        ],
      },
      {
        message: 'No lsof, but fuser is there. Writing the script with find -mtime +0 and fuser -s to skip open files.',
        calls: [
          {
            function_name: 'write_file',
            arguments: {
              path: '/app/rotate.sh',
              content: '#!/usr/bin/env bash\nset -euo pipefail\nshopt -s nullglob\n...',
            },
            output: 'wrote 912 bytes',
          },
        ],
      },
      {
        message: 'Making it executable and running the scenario.',
        calls: [
          {
            function_name: 'bash',
            arguments: { command: 'chmod +x /app/rotate.sh && bash /app/tests/full_scenario.sh' },
            output: 'PASS 8/9\nFAIL keeps-five: found 6 archives',
          },
        ],
      },
      {
        message: 'Off by one in the pruning: `tail -n +5` keeps six. Fixing to `tail -n +6`.',
        calls: [
          {
            function_name: 'edit_file',
            arguments: { path: '/app/rotate.sh', old: 'tail -n +5', new: 'tail -n +6' },
            output: 'replaced 1 occurrence',
          },
        ],
      },
      {
        message: 'Again.',
        calls: [
          { function_name: 'bash', arguments: { command: 'bash /app/tests/full_scenario.sh' }, output: 'PASS 9/9' },
        ],
      },
    ],
    finalAnswer:
      '/app/rotate.sh compresses logs older than a day, keeps five archives per log, and skips files held open (checked with fuser).',
  },
];

export const DEMO_AGENT_MODELS = ['claude-sonnet-4-5-20250929', 'gpt-5-2025-08-07', 'qwen3-coder-30b-a3b'] as const;

export const DEMO_REFLECTIONS: Record<DemoCategory, string[]> = {
  anti_cheat: [
    'The anti-cheat tests only use a holdout input; add a check that the deliverable does not embed sample values.',
    'Hard-coding is covered; still missing a size heuristic for memorised outputs.',
  ],
  existence: [
    'Existence is covered for the main file; the format of the deliverable is not yet checked.',
    'Both presence and basic validity are now tested.',
  ],
  correctness: [
    'Correctness tests cover the plain case only; the multi-value case of the statement is untested.',
    'The statement has a rule about ordering that no test exercises yet.',
    'Main rules of the statement are each covered by at least one test.',
  ],
  boundary: [
    'No test at the limits of the valid range yet (first and last valid values).',
    'Invalid-but-plausible inputs are missing: values just outside the range.',
    'Limits on both sides are covered; encoding oddities (spaces, quotes) were added.',
  ],
  integration: [
    'Nothing runs the deliverable the way the grader does, on the full input.',
    'The end-to-end run is covered; repeated runs are not.',
  ],
};

export const DEMO_GLOBAL_REFLECTIONS = [
  'Across categories, boundary and correctness overlap on two tests; the suite is otherwise balanced.',
  'The suite checks outputs but rarely the absence of side effects; one integration test now does.',
  'Confidence is lowest on tests that depend on an ambiguous reading of the statement; they are listed as uncertainties.',
];

export const DEMO_ERRORS = [
  'Model request failed: 529 overloaded_error (after 3 retries)',
  'Context length exceeded while refining category "boundary" (204,811 tokens > 200,000)',
  'Sandbox unavailable: container exited with code 137 (out of memory)',
];
