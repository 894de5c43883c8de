// The booth page: choose → review → credential → encrypt, prove and sign HERE (belenios.js) →
// cast (POST the ballot, get the receipt) or audit (Benaloh: reveal, never cast, start again).
// The credential and the randomness never leave this page; only the ballot (and, for an audit,
// its tracker) is sent.
import { BoothError, choiceVector, makeBallot, parseElection } from '../booth/belenios.js';
import { makeAudit } from '../booth/audit.js';

const root = document.getElementById('booth');
const msg = (name) => root.dataset[name] || '';
const $ = (id) => document.getElementById(id);
const election = parseElection(root.dataset.election);
const question = election.questions[0];
const steps = ['step-choose', 'step-review', 'step-tracker', 'step-audit', 'step-receipt'];
let made = null;

function show(step, focus) {
  for (const s of steps) $(s).hidden = s !== step;
  if (focus) $(focus).focus();
}
function status(text) { $('booth-status').textContent = text; }
function error(text) { $('booth-error').textContent = text; }
function fileUrl(text) { return URL.createObjectURL(new Blob([text], { type: 'text/plain' })); }

function selected() {
  const checked = document.querySelector('input[name="answer"]:checked');
  return checked ? Number(checked.value) : null;
}

$('step-choose').addEventListener('submit', (ev) => {
  ev.preventDefault();
  error('');
  const i = selected();
  if (i === null) { error(msg('msgChoose')); return; }
  $('review-choice').textContent = question.answers[i];
  show('step-review', 'review-title');
});

$('back').addEventListener('click', () => { made = null; show('step-choose', 'answer-0'); });

$('credential-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  error('');
  const credential = $('credential').value.trim();
  if (!credential) { error(msg('msgCredential')); return; }
  status(msg('msgEncrypting'));
  setTimeout(() => {  // let the status be announced before the work blocks the page
    try {
      made = makeBallot(election, credential, [choiceVector(question, [selected()])]);
    } catch (e) {
      status('');
      error(e instanceof BoothError && e.code === 'credential.invalid' ? msg('msgBadCredential') : String(e.message || e));
      return;
    }
    $('credential').value = '';
    status('');
    $('tracker').textContent = made.tracker;
    show('step-tracker', 'tracker-title');
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
    status(msg('msgCast'));
    show('step-receipt', 'receipt-title');
  } catch {
    status('');
    error(msg('msgFailed'));
  } finally {
    $('cast').disabled = false;
  }
});

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
  $('audit-text').value = audit;
  $('audit-ballot').value = ballot;
  $('audit-download').href = fileUrl(audit);
  status(msg('msgAudited'));
  show('step-audit', 'audit-title');
});

$('again').addEventListener('click', () => {
  for (const r of document.querySelectorAll('input[name="answer"]')) r.checked = false;
  status('');
  show('step-choose', 'answer-0');
});
