"""Results objects for the permission matrix (rows made directly; the `election` stays in draft):
the ballot, the top protocol, the Makhambet commission's key, a published PDF in Kazakh and an
unsigned one in Russian."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from saylau.board.note import Signer
from saylau.domain.protocol import Level, Protocol, to_json
from saylau.domain.results import protocol_sha256
from saylau.record.docsig import sign_document
from saylau.web.candidates.models import Party
from saylau.web.commissions.models import Commission
from saylau.web.core.uploads import store_upload
from saylau.web.elections.models import Election
from saylau.web.results.models import (
    BallotDefinition,
    CommissionSigningKey,
    ElectionOutcome,
    PartySeats,
    ProtocolDocument,
    ResultProtocol,
)
from tests.web.conftest import CALLED


def results_world(election: Election) -> dict[str, object]:
    BallotDefinition.objects.create(
        election=election, question=0, rule={"system": "plurality"}, created_at=CALLED,
        data={"election": election.code, "question": 0, "against_all_position": 1, "against_all_label": "Against all",
              "contestants": [{"id": "candidate-1", "label": "A", "order": 0, "kind": "candidate", "ref": 1}]})
    p = Protocol(election=election.code, unit="saraishyk", level=Level.LOCALITY, voters_on_roll=10, ballots_issued=5,
                 ballots_cast=4, ballots_invalid=0, votes={"candidate-1": 3}, against_all=1)
    row = ResultProtocol.objects.create(election=election, level="locality", unit="saraishyk", data=to_json(p),
                                        sha256=protocol_sha256(p), created_at=CALLED)
    commission = Commission.objects.get(code="makhambet")
    signer = Signer("saylau.kz/makhambet", bytes(range(32)))
    key = CommissionSigningKey.objects.create(commission=commission, name=signer.name, vkey=signer.vkey(),
                                              registered_at=CALLED)
    pdf = b"%PDF-1.7 matrix protocol\n"
    stored = store_upload(SimpleUploadedFile("protocol.pdf", pdf), kinds=("pdf",), at=CALLED)
    ProtocolDocument.objects.create(protocol=row, language="kk", commission=commission, pdf=stored, created_at=CALLED,
                                    key=key, signed_at=CALLED,
                                    signature=sign_document(pdf, signer, kind="results-protocol",
                                                            election=election.code, unit="saraishyk", language="kk"))
    draft = ProtocolDocument.objects.create(protocol=row, language="ru", commission=commission, pdf=stored,
                                            created_at=CALLED)
    outcome = ElectionOutcome.objects.create(election=election, protocol=row, created_at=CALLED,
                                             data={"system": "plurality", "unit": "saraishyk", "valid": 4,
                                                   "outcome": "elected", "winner": "candidate-1", "tied": [],
                                                   "against_all_leads": False})
    party = Party.objects.create(name_kk="Нәтиже партиясы", short_name="Natije", registered_on=date(2001, 1, 1))
    seats = PartySeats.objects.create(election=election, party=party, seats=0)
    return {"results.electionoutcome": outcome, "results.partyseats": seats, "results.ballotdefinition": BallotDefinition.objects.get(election=election),
            "results.resultprotocol": row, "results.commissionsigningkey": key,
            "results.protocoldocument": draft, "key": str(key.pk), "draft": str(draft.pk), "language": "kk"}
