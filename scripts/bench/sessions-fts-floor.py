"""The floor under SessionsBenchmark's searches: the same 100,000 messages (same word
distribution, not the same words) in an in-memory SQLite through Python's sqlite3, with the
FTS5 table and queries Sessions uses. Run: python3 scripts/bench/sessions-fts-floor.py"""
import math
import random
import sqlite3
import time

VOCABULARY = 5000
words_random = random.Random(7)
words = [''.join(chr(97 + words_random.randrange(26)) for _ in range(4 + words_random.randrange(6))) + 'q' + str(i)
         for i in range(VOCABULARY)]
text_random = random.Random(42)


def sentence(length):
    return ' '.join(words[min(VOCABULARY - 1, int(math.exp(text_random.random() * math.log(VOCABULARY)) - 1))]
                    for _ in range(length))


db = sqlite3.connect(':memory:')
db.executescript("""
CREATE TABLE m(seq INTEGER PRIMARY KEY, session_id TEXT, content TEXT);
CREATE VIRTUAL TABLE f USING fts5(content, content='m', content_rowid='seq', tokenize='porter unicode61');
CREATE TRIGGER t AFTER INSERT ON m BEGIN INSERT INTO f(rowid, content) VALUES (new.seq, new.content); END;""")
db.executemany("INSERT INTO m(session_id, content) VALUES ('s', ?)",
               [(sentence(8 + text_random.randrange(40)),) for _ in range(100_000)])
select = ("SELECT m.seq, snippet(f, 0, '[', ']', '...', 12) FROM f JOIN m ON m.seq = f.rowid"
          " WHERE f MATCH ? AND m.session_id = 's' ORDER BY {} LIMIT 20")
print('SQLite', sqlite3.sqlite_version)
for what, word, order in [('the commonest word, best match first', words[0], 'rank, f.rowid'),
                          ('the commonest word, newest first', words[0], 'f.rowid DESC'),
                          ('a rare word, best match first', words[VOCABULARY - 2], 'rank, f.rowid')]:
    matches = db.execute("SELECT count(*) FROM f WHERE f MATCH ?", (word,)).fetchone()[0]
    times = []
    for _ in range(20):
        start = time.perf_counter()
        db.execute(select.format(order), (word,)).fetchall()
        times.append(time.perf_counter() - start)
    times.sort()
    print(f'  {what} (in {matches:,} messages): median {times[10] * 1000:.2f} ms')
