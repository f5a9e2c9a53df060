"""The restore drill: back up while moments are being logged, restore into a fresh data
directory that received only the key file, and every acknowledged moment is there, readable, and
its retry answers 200 with the same moment (not a 409: the idempotency hashes are keyed by the
person's data key, which travels with the data, not by the data directory's secret key).

Real commands (``tend backup``, ``tend restore``) in subprocesses; the API is driven through
Django's test client inside ``tend shell``, so the whole request stack answers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tend.core.tests.commands import migrate, operator_env, tend

WRITER = """
import json, pathlib, sys
from django.test import Client
from tend.accounts.models import User
from tend.api.services import token_create

stop = pathlib.Path(sys.argv[1])
user = User.objects.create_user("alice@example.test", "calm-harbour-42")
_, token = token_create(user=user, name="drill", scope="write")
print("TOKEN", token, flush=True)
client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
n = 0
while not stop.exists() and n < 3000:
    body = {"cue": f"drill cue {n}", "states": ["flight"], "intensity": n % 11}
    response = client.post(
        "/api/v1/moments", json.dumps(body), content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"drill-{n}",
    )
    assert response.status_code == 201, response.status_code
    print("ACK", n, response.json()["id"], flush=True)
    n += 1
"""

RETRIER = """
import json, sys
from django.test import Client
from tend.journal.models import Moment

token, count = sys.argv[1], int(sys.argv[2])
client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
stored = {m.idempotency_key: m for m in Moment.objects.all()}
results = {}
for n in range(count):
    key = f"drill-{n}"
    moment = stored.get(key)
    if moment is not None:
        assert moment.cue == f"drill cue {n}"  # decrypts with the carried key file
    body = {"cue": f"drill cue {n}", "states": ["flight"], "intensity": n % 11}
    response = client.post(
        "/api/v1/moments", json.dumps(body), content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    results[n] = [moment is not None, response.status_code, response.json().get("id")]
print(json.dumps(results))
"""


def test_a_restore_into_a_fresh_data_directory_keeps_every_acknowledged_moment_and_its_retry(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = operator_env(data, REDIS_URL="")
    migrate(env)

    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", _runner(WRITER), str(stop)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    token = writer.stdout.readline().split()[1]
    acked: dict[int, str] = {}
    while len(acked) < 20:
        _, n, moment_id = writer.stdout.readline().split()
        acked[int(n)] = moment_id
    before_backup = set(acked)

    backup = tmp_path / "during-writes.sqlite3"
    tend(env, "backup", "--output", str(backup))
    after_backup = max(acked) + 1
    for line in writer.stdout:
        _, n, moment_id = line.split()
        acked[int(n)] = moment_id
        if int(n) >= after_backup + 30:
            stop.touch()
    # The writer may have seen the stop file before any further line was read above.
    stop.touch()
    writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert len(acked) > len(before_backup)  # writes went on while the backup ran

    # A fresh data directory: no secret key, no database; the operator carries the key file.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(data / "kek.keys", fresh / "kek.keys")
    fresh_env = operator_env(fresh, REDIS_URL="")
    tend(fresh_env, "restore", str(backup), "--yes")

    result = subprocess.run(
        [sys.executable, "-c", _runner(RETRIER), token, str(max(acked) + 1)],
        env=fresh_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = {int(n): value for n, value in json.loads(result.stdout.splitlines()[-1]).items()}
    # Every moment acknowledged before the backup began is in it.
    assert all(outcome[n][0] for n in before_backup)
    for n, moment_id in acked.items():
        present, status, answered_id = outcome[n]
        if present:
            # The retry of a restored moment is the same moment, not a conflict.
            assert (status, answered_id) == (200, moment_id), n
        else:
            # Acknowledged after the backup's snapshot: the device's retry logs it again.
            assert n not in before_backup and status == 201, n
    # ... although this data directory made a secret key of its own.
    assert (fresh / "secret_key").read_text() != (data / "secret_key").read_text()


def _runner(script: str) -> str:
    """A ``python -c`` program that sets Django up and runs ``script`` with our argv."""
    return "import django\ndjango.setup()\n" + script
