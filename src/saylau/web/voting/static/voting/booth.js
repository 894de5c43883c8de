// The booth page: choose → review → credential → encrypt, prove and sign HERE (belenios.js) →
// cast (POST the ballot, get the receipt) or audit (Benaloh: reveal, never cast, start again).
// The credential and the randomness never leave this page; only the ballot (and, for an audit,
// its tracker) is sent. The audit's QR code is drawn here (uqr) from `auditPayload`, which
// reveals the choice: it is never sent to the server.
//
// Accessibility: each step is a section whose heading takes the focus when it shows; progress
// goes to the status region (role=status), errors to the alert region (role=alert); the audio
// ballot's "Listen" buttons play the election's recordings in one <audio> element, only when
// pressed (never autoplay), and say whether they are playing (aria-pressed).
import { BoothError, choiceVector, makeBallot, parseElection } from '../booth/belenios.js';
import { auditPayload, makeAudit } from '../booth/audit.js';
import { encode } from '../booth/vendor/uqr-0.1.3/dist/index.mjs';

const root = document.getElementById('booth');
const msg = (name) => root.dataset[name] || '';
const $ = (id) => document.getElementById(id);
const election = parseElection(root.dataset.election);
const question = election.questions[0];
const steps = ['step-choose', 'step-review', 'step-tracker', 'step-audit', 'step-receipt'];
const SVG = 'http://www.w3.org/2000/svg';
let made = null;
let urls = [];

function show(step, focus) {
  for (const s of steps) $(s).hidden = s !== step;
  stopAudio();
  if (focus) $(focus).focus();
}
function status(text) { $('booth-status').textContent = text; }
function error(text) { $('booth-error').textContent = text; }
function fileUrl(text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  urls.push(url);
  return url;
}
function forgetFiles() { for (const url of urls) URL.revokeObjectURL(url); urls = []; }

function selected() {
  const checked = document.querySelector('input[name="answer"]:checked');
  return checked ? Number(checked.value) : null;
}

// --- the audio ballot ---------------------------------------------------------------------------

const audio = $('booth-audio');
let playing = null;  // the Listen button whose recording plays

function setPlaying(button) {
  if (playing && playing !== button) playing.setAttribute('aria-pressed', 'false');
  playing = button;
  if (button) button.setAttribute('aria-pressed', 'true');
}
function stopAudio() {
  if (!audio.paused) audio.pause();
  setPlaying(null);
}
for (const button of root.querySelectorAll('button.listen')) {
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', async () => {
    if (playing === button && !audio.paused) { stopAudio(); return; }
    error('');
    audio.src = button.dataset.audio;
    setPlaying(button);
    try {
      await audio.play();
    } catch {
      setPlaying(null);
      error(msg('msgNoAudio'));
    }
  });
}
audio.addEventListener('ended', () => setPlaying(null));
audio.addEventListener('error', () => { if (playing) { setPlaying(null); error(msg('msgNoAudio')); } });

// --- the steps ----------------------------------------------------------------------------------

$('choose-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  error('');
  const i = selected();
  if (i === null) { error(msg('msgChoose')); $('answer-0').focus(); return; }
  $('review-choice').textContent = question.answers[i];
  show('step-review', 'review-title');
  status(`${msg('msgChosen')} ${question.answers[i]}`);
});

$('back').addEventListener('click', () => { made = null; status(''); error(''); show('step-choose', 'choose-title'); });

$('credential-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  error('');
  const field = $('credential');
  field.removeAttribute('aria-invalid');
  const credential = field.value.trim();
  if (!credential) { field.setAttribute('aria-invalid', 'true'); error(msg('msgCredential')); field.focus(); return; }
  status(msg('msgEncrypting'));
  root.setAttribute('aria-busy', 'true');
  setTimeout(() => {  // let the status be announced before the work blocks the page
    try {
      made = makeBallot(election, credential, [choiceVector(question, [selected()])]);
    } catch (e) {
      root.removeAttribute('aria-busy');
      status('');
      field.setAttribute('aria-invalid', 'true');
      error(e instanceof BoothError && e.code === 'credential.invalid' ? msg('msgBadCredential') : String(e.message || e));
      field.focus();
      return;
    }
    root.removeAttribute('aria-busy');
    field.value = '';
    $('tracker').textContent = made.tracker;
    show('step-tracker', 'tracker-title');
    status(msg('msgEncrypted'));
  }, 30);
});

$('cast').addEventListener('click', async () => {
  if (!made) return;
  error('');
  status(msg('msgCasting'));
  $('cast').disabled = true;
  try {
    const response = await fetch(root.dataset.castUrl, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: made.ballot, credentials: 'same-origin',
    });
    const answer = await response.json();
    if (!response.ok) { status(''); error(answer.message || msg('msgFailed')); return; }
    made = null;  // the randomness is gone with it
    $('receipt').value = answer.receipt;
    $('receipt-download').href = fileUrl(answer.receipt);
    show('step-receipt', 'receipt-title');
    status(msg('msgCast'));
  } catch {
    status('');
    error(msg('msgFailed'));
  } finally {
    $('cast').disabled = false;
  }
});

/** The QR code of `text` as an SVG (one path of dark modules, a quiet zone of 4), named by the figure's caption. */
function qrSvg(text) {
  const qr = encode(text, { ecc: 'M', border: 4 });
  const size = qr.size;
  let d = '';
  qr.data.forEach((row, y) => row.forEach((dark, x) => { if (dark) d += `M${x} ${y}h1v1h-1z`; }));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', 'audit-qr-caption');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.version = String(qr.version);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

$('audit').addEventListener('click', async () => {
  if (!made) return;
  const audit = makeAudit(election, made);
  const ballot = made.ballot;
  made = null;  // this ballot must never be cast: forget it here, and tell the server
  try {
    await fetch(root.dataset.auditedUrl, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tracker: JSON.parse(audit).tracker }), credentials: 'same-origin',
    });
  } catch { /* the booth itself never casts it; the server check is a second line */ }
  const payload = auditPayload(audit);
  $('audit-text').value = audit;
  $('audit-ballot').value = ballot;
  $('audit-payload').value = payload;
  $('audit-download').href = fileUrl(audit);
  $('audit-ballot-download').href = fileUrl(ballot);
  try {
    $('audit-qr').replaceChildren(qrSvg(payload));
  } catch {
    $('audit-qr').replaceChildren();
    error(msg('msgQrFailed'));
  }
  show('step-audit', 'audit-title');
  status(msg('msgAudited'));
});

$('again').addEventListener('click', () => {
  for (const r of document.querySelectorAll('input[name="answer"]')) r.checked = false;
  for (const id of ['audit-text', 'audit-ballot', 'audit-payload']) $(id).value = '';
  $('audit-qr').replaceChildren();
  forgetFiles();
  status('');
  show('step-choose', 'choose-title');
});
