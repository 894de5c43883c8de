// The audit page: recompute a Benaloh audit on this device (audit.js) against the precinct
// election the ballot names, and show what the ballot contains.
import { checkAudit, describeAudit } from '../booth/audit.js';
import { parseElection } from '../booth/belenios.js';

const root = document.getElementById('audit-page');
const elections = [...root.querySelectorAll('template.election')].map((t) => parseElection(t.dataset.election));
const out = document.getElementById('audit-result');

document.getElementById('audit-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  out.textContent = '';
  const auditText = document.getElementById('audit-input').value.trim();
  const ballotText = document.getElementById('ballot-input').value.trim();
  let uuid = '';
  try { uuid = JSON.parse(auditText).election_uuid; } catch { /* reported below */ }
  const election = elections.find((e) => e.uuid === uuid);
  if (!election) { out.textContent = root.dataset.msgNoElection; return; }
  const findings = checkAudit(election, ballotText, auditText);
  if (findings.length) {
    out.textContent = `${root.dataset.msgBad} ${findings.map((f) => f.message).join('; ')}`;
    return;
  }
  const described = describeAudit(election, auditText);
  out.textContent = `${root.dataset.msgOk} ${described.map((d) => d.selected.join(', ')).join(' | ')}`;
});
