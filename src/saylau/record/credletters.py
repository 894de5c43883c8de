"""The credential authority's printed matter (WeasyPrint, QR codes by segno):

- a **letter** per remote voter, in the voter's language: the private credential as text and as a
  QR code, and the voter reference printed small in a corner, so that the printing house can
  match the envelope: it merges the address label from the server's list of voter references
  (the CA never sees names or addresses);
- **sealed cards** for a precinct's polling-station voters: one credential per card, no voter
  link, in Kazakh, Russian and English (the voter who draws it may read any of them).

The QR code holds the credential exactly as printed (`XXXXX-XXXXXX-XXXXX-XXXXXX`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

TEXT: dict[str, dict[str, str]] = {
    "kk": {
        "title": "Дауыс беруге арналған жеке кілт",
        "election": "Сайлау",
        "precinct": "Учаске",
        "intro": "Бұл – сіздің құпия дауыс беру кілтіңіз. Оны ешкімге көрсетпеңіз және берменіз.",
        "how": "Дауыс беру кезінде кілтті теріңіз немесе QR-кодты сканерлеңіз. Кілт бюллетеніңізге "
               "қол қояды: сервер сіздің атыңыздан дауыс бере алмайды.",
        "lost": "Хатты жоғалтсаңыз, дауыс беру басталғанға дейін учаскелік комиссияға хабарласыңыз.",
        "credential": "Кілт",
        "card": "Дауыс беру карточкасы",
        "card_how": "Кабинада осы кілтті теріңіз немесе QR-кодты сканерлеңіз. Карточка сізге "
                    "байланыстырылмаған.",
    },
    "ru": {
        "title": "Личный ключ для голосования",
        "election": "Выборы",
        "precinct": "Участок",
        "intro": "Это ваш секретный ключ для голосования. Никому его не показывайте и не передавайте.",
        "how": "При голосовании введите ключ или отсканируйте QR-код. Ключ подписывает ваш бюллетень: "
               "сервер не может проголосовать за вас.",
        "lost": "Если письмо утеряно, обратитесь в участковую комиссию до начала голосования.",
        "credential": "Ключ",
        "card": "Карточка для голосования",
        "card_how": "В кабине введите этот ключ или отсканируйте QR-код. Карточка не связана с вами.",
    },
    "en": {
        "title": "Your personal voting key",
        "election": "Election",
        "precinct": "Precinct",
        "intro": "This is your secret voting key. Do not show it or give it to anyone.",
        "how": "When you vote, type the key or scan the QR code. The key signs your ballot: the server "
               "cannot vote in your name.",
        "lost": "If this letter is lost, contact the precinct commission before voting opens.",
        "credential": "Key",
        "card": "Voting card",
        "card_how": "In the booth, type this key or scan the QR code. The card is not linked to you.",
    },
}

CSS = """
@page { size: A4; margin: 18mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 12pt; color: #000; }
h1 { font-size: 18pt; margin: 0 0 6mm; }
.cred { font-family: "DejaVu Sans Mono", monospace; font-size: 20pt; letter-spacing: 1pt; margin: 4mm 0; }
.qr { width: 45mm; height: 45mm; }
.ref { position: absolute; top: 0; right: 0; font-size: 8pt; }
.card { page-break-inside: avoid; border: 1pt dashed #000; padding: 5mm; margin-bottom: 6mm; }
.card h2 { font-size: 11pt; margin: 0 0 2mm; }
.card p { margin: 1mm 0; font-size: 9pt; }
.card .cred { font-size: 14pt; }
.card .qr { width: 30mm; height: 30mm; float: right; }
"""


def qr_svg_uri(text: str) -> str:
    import segno  # the QR codes of letters and cards

    return str(segno.make(text, error="m", micro=False).svg_data_uri(scale=4))


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def letter_html(*, credential: str, ref: str, election: str, election_title: str, precinct: str,
                language: str) -> str:
    t = TEXT[language]
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{_e(t["title"])}</title>'
            f"<style>{CSS}</style></head><body>"
            f'<div class="ref">{_e(ref)}</div>'
            f"<h1>{_e(t['title'])}</h1>"
            f"<p>{_e(t['election'])}: {_e(election_title or election)}</p>"
            f"<p>{_e(t['precinct'])}: {_e(precinct)}</p>"
            f"<p>{_e(t['intro'])}</p>"
            f'<p>{_e(t["credential"])}:</p><p class="cred">{_e(credential)}</p>'
            f'<img class="qr" src="{qr_svg_uri(credential)}" alt="QR">'
            f"<p>{_e(t['how'])}</p><p>{_e(t['lost'])}</p></body></html>")


def cards_html(*, credentials: Sequence[str], election: str, election_title: str, precinct: str) -> str:
    parts = [f'<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>{_e(precinct)}</title>'
             f"<style>{CSS}</style></head><body>"]
    for cred in credentials:
        parts.append('<div class="card">')
        parts.append(f'<img class="qr" src="{qr_svg_uri(cred)}" alt="QR">')
        for language in ("kk", "ru", "en"):
            t = TEXT[language]
            parts.append(f'<h2 lang="{language}">{_e(t["card"])} · {_e(t["precinct"])} {_e(precinct)}</h2>'
                         f'<p lang="{language}">{_e(t["card_how"])}</p>')
        parts.append(f'<p>{_e(election_title or election)}</p><p class="cred">{_e(cred)}</p></div>')
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(document: str) -> bytes:
    import weasyprint  # a hard dependency (Pango: scripts/install-system.sh)

    return bytes(weasyprint.HTML(string=document).write_pdf())
