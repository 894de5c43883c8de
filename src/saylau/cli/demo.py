"""`saylau demo`: a complete small election through the CLI, then verified.

Every step is also logged on the election's bulletin board; each voter gets a tlog-proof
receipt; an observers' witness cosigns the final checkpoint.

The cast: voters `aigerim`, `bolat`, `dana` and five neighbours; a single trustee (the
`chair`) and a 2-of-3 Pedersen trustee group. Bolat changes his mind and votes twice: the
last ballot counts. Every step is a `saylau` command; the passphrase of the demo's
trustee secrets is a demo value set in the environment.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .main import main

VOTES = {
    "aigerim": [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 0, 0]],
    "bolat": [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]],
    "dana": [[0, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]],
    "erlan": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]],
    "gulnara": [[0, 0, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]],
    "kairat": [[1, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 0]],
}
REVOTE = ("bolat", [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]])


def _run(*argv: str) -> None:
    print(f"$ saylau {' '.join(argv)}")
    code = main(list(argv))
    if code != 0:
        raise SystemExit(code)


def run_demo(directory: Path | None, *, group_name: str = "Ed25519") -> int:
    os.environ.setdefault("SAYLAU_PASSPHRASE", "demo passphrase - never use for a real election")
    if directory is None:
        directory = Path(tempfile.mkdtemp(prefix="saylau-demo-"))
    d = directory
    d.mkdir(parents=True, exist_ok=True)
    uuid = "DemoSaryagash1"  # base58, as Belenios requires (no 0, O, I, l)
    voters = d / "voters.txt"
    voters.write_text("\n".join([*VOTES, "nurlan", "saule"]) + "\n")
    _run("credentials", "generate", "--dir", str(d), "--uuid", uuid, "--group", group_name, "--voters", str(voters))
    _run("trustee", "generate", "--group", group_name, "--out", str(d / "chair"))
    (d / "public_keys.jsons").write_text((d / "chair.pubkey").read_text())
    certs = [_capture("threshold", "cert", "--group", group_name, "--index", str(i), "--size", "3", "--threshold", "2",
                      "--secret", str(d / f"member{i}.secret")) for i in (1, 2, 3)]
    (d / "certs.jsons").write_text("".join(certs))
    polys = [_capture("threshold", "polynomial", "--certs", str(d / "certs.jsons"), "--threshold", "2", "--secret", str(d / f"member{i}.secret")) for i in (1, 2, 3)]
    (d / "polynomials.jsons").write_text("".join(polys))
    _run("threshold", "route", "--polynomials", str(d / "polynomials.jsons"), "--out-dir", str(d))
    vouts = []
    for i in (1, 2, 3):
        out = _capture("threshold", "voutput", "--certs", str(d / "certs.jsons"), "--vinput", str(d / f"{i}.vinput"), "--secret", str(d / f"member{i}.secret"))
        (d / f"member{i}.voutput").write_text(out)
        vouts.append(out)
    (d / "voutputs.jsons").write_text("".join(vouts))
    (d / "threshold.json").write_text(_capture("threshold", "combine", "--group", group_name, "--certs", str(d / "certs.jsons"),
                                               "--polynomials", str(d / "polynomials.jsons"), "--voutputs", str(d / "voutputs.jsons"), "--threshold", "2"))
    _run("trustees", "make", "--dir", str(d))
    _run("election", "make", "--dir", str(d), "--uuid", uuid, "--group", group_name, "--board")
    _run("contest", "set", "--dir", str(d), "--question", "0", "--system", "plurality", "--against-all", "Against all")
    private = json.loads((d / "private_creds.json").read_text())
    for voter, choice in [*VOTES.items(), REVOTE]:
        (d / "choice.json").write_text(json.dumps(choice))
        ballot = _capture("ballot", "make", "--dir", str(d), "--credential", private[voter], "--choice", str(d / "choice.json"))
        (d / f"ballot-{voter}.json").write_text(ballot)
        _run("ballot", "cast", "--dir", str(d), str(d / f"ballot-{voter}.json"))
    _run("tally", "--dir", str(d))
    _run("decrypt", "--dir", str(d), "--trustee-id", "1", "--secret", str(d / "chair.secret"))
    _run("decrypt", "--dir", str(d), "--trustee-id", "2", "--secret", str(d / "member1.secret"), "--dkey", str(d / "member1.voutput"))
    _run("decrypt", "--dir", str(d), "--trustee-id", "4", "--secret", str(d / "member3.secret"), "--dkey", str(d / "member3.voutput"))
    _run("result", "--dir", str(d))
    vkey = str(d / "board" / "log.vkey")
    _capture("witness", "keygen", "--name", "observers.example/witness", "--out", str(d / "witness.key"))
    _run("witness", "--board", str(d / "board"), "--key", str(d / "witness.key"), "--state", str(d / "witness-state"),
         "--log-key", vkey)
    _run("board", "verify", str(d / "board"), "--log-key", vkey)
    print(f"$ saylau verify {d} --board {d / 'board'} --log-key {vkey}")
    code = main(["verify", str(d), "--quiet", "--board", str(d / "board"), "--log-key", vkey])
    print(f"demo election directory: {d}")
    return code


def _capture(*argv: str) -> str:
    import contextlib
    import io

    print(f"$ saylau {' '.join(argv)}")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(list(argv))
    if code != 0:
        raise SystemExit(code)
    return buf.getvalue()
