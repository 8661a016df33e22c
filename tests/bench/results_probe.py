"""The results page of the scaled round, in one process, without the load: median time of the
page when the round's numbers are counted afresh (the memo emptied before each GET, as after
a new answer) and when they were kept. Prints JSON. Run by tests/bench/load.py with the
bench's DATABASE_URL; never part of the tests."""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app import create_app  # noqa: E402
from app.db import get_db  # noqa: E402

FACILITATOR = "animatrice@demo.parole.invalid"
PASSWORD = "parole-demo-2026"  # noqa: S105 - the public demo password


def main(round_id: int, times: int = 7) -> None:
    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "identifier": FACILITATOR, "secret": PASSWORD}
    assert client.post("/login", data=data).status_code == 303
    url = f"/consultations/{round_id}/results"
    with app.app_context():
        memo = get_db().memo
    afresh, kept, size = [], [], 0
    for _ in range(times):
        memo.clear()
        started = time.perf_counter()
        response = client.get(url)
        afresh.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        size = len(response.data)
    for _ in range(times):
        started = time.perf_counter()
        client.get(url)
        kept.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "afresh_ms": statistics.median(afresh),
                "kept_ms": statistics.median(kept),
                "bytes": size,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
